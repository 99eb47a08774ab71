/**
 * Protocol versions and HTTP header names, defined once for the whole gateway.
 */

/** The current, stateless protocol revision: no initialize, no sessions, `_meta` on every request. */
export const CURRENT_PROTOCOL_VERSION = '2026-07-28';

/**
 * Revisions negotiated through `initialize` (sessions, GET stream), newest first.
 * Kept equal to the SDK's `SUPPORTED_PROTOCOL_VERSIONS` (a test checks it).
 */
export const SESSION_PROTOCOL_VERSIONS = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
] as const;

/** The newest revision that uses `initialize` and sessions. */
export const LATEST_SESSION_PROTOCOL_VERSION = SESSION_PROTOCOL_VERSIONS[0];

/** Every protocol revision the gateway speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = [CURRENT_PROTOCOL_VERSION, ...SESSION_PROTOCOL_VERSIONS] as const;

/** A protocol revision the gateway speaks. */
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

/** Which generation of the protocol a message belongs to. */
export type ProtocolGeneration = 'stateless' | 'session';

/** Tells which generation a protocol version string belongs to; undefined when the gateway does not speak it. */
export function protocolGeneration(version: string): ProtocolGeneration | undefined {
  if (version === CURRENT_PROTOCOL_VERSION) return 'stateless';
  return (SESSION_PROTOCOL_VERSIONS as readonly string[]).includes(version) ? 'session' : undefined;
}

/** `_meta` keys the current protocol puts on every request (SEP-2575). */
export const META_KEYS = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
} as const;

/** HTTP header names of the Streamable HTTP transport, lower-cased as Node presents them. */
export const MCP_HEADERS = {
  protocolVersion: 'mcp-protocol-version',
  sessionId: 'mcp-session-id',
  method: 'mcp-method',
  name: 'mcp-name',
  lastEventId: 'last-event-id',
} as const;

/** The media types of the Streamable HTTP transport's bodies. */
export const MEDIA_TYPES = {
  json: 'application/json',
  eventStream: 'text/event-stream',
} as const;

/**
 * The media type of a `Content-Type` value, lower-cased and without its parameters
 * (`Text/Event-Stream; charset=utf-8` is `text/event-stream`); undefined when there is none.
 */
export function mediaTypeOf(contentType: string | null | undefined): string | undefined {
  const type = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  return type ? type : undefined;
}

/** The JSON-RPC version string every message carries. */
export const JSONRPC_VERSION = '2.0';
