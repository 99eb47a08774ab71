/**
 * JSON-RPC over keep-alive HTTP, as the load generator's clients send it: a plain POST (what curl
 * sends: no session, no Accept), a stateless POST as an SDK client sends it (both media types in
 * Accept, a protocol version), or a 2025-11-25 Streamable HTTP session (initialize first, then
 * every request carries Mcp-Session-Id). node:http with a keep-alive Agent, one socket per client:
 * it is the cheapest client Node ships, so the load generator spends little of the machine.
 */
import { Agent, request } from 'node:http';
import { CURRENT_PROTOCOL_VERSION, MCP_HEADERS, META_KEYS } from '@only1mcp/mcp-types';

/** The loopback names a benchmark may target; it never sends traffic anywhere else. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Throws unless `url` points at this machine. */
export function assertLoopback(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || !LOOPBACK.has(parsed.hostname))
    throw new Error(`Refusing to benchmark ${url}: only http://127.0.0.1 targets`);
  return parsed;
}

/** The protocol version a session client announces. */
export const SESSION_PROTOCOL_VERSION = '2025-11-25';

/** A JSON-RPC response as far as the bench checks it. */
export interface JsonRpcReply {
  id?: unknown;
  result?: unknown;
  error?: unknown;
}

/** One HTTP exchange: status, headers and the JSON-RPC message found in the body (plain or SSE). */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  message: JsonRpcReply | undefined;
}

/** One server-sent event: its type (`message` when the event names none) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Parses the text of one SSE event (the lines between two blank lines). */
export function parseSseEvent(text: string): SseEvent {
  let event = 'message';
  const data: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return { event, data: data.join('\n') };
}

/** The JSON-RPC response in `text`, or undefined when it is not one (a request, a notification, not JSON). */
export function parseResponse(text: string): JsonRpcReply | undefined {
  try {
    const message = JSON.parse(text) as JsonRpcReply;
    return message !== null && typeof message === 'object' && ('result' in message || 'error' in message)
      ? message
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Extracts the JSON-RPC response from a plain JSON body or from an SSE body, where it is the
 * `data` of one event (events without data, such as the transport's priming event, are skipped).
 */
export function parseReply(contentType: string | undefined, body: string): JsonRpcReply | undefined {
  if (!contentType?.includes('text/event-stream')) return parseResponse(body);
  for (const text of body.split(/\r?\n\r?\n/)) {
    const { data } = parseSseEvent(text);
    const message = data.trim() ? parseResponse(data) : undefined;
    if (message) return message;
  }
  return undefined;
}

/** Options of a {@link JsonRpcHttpClient}. */
export interface JsonRpcHttpClientOptions {
  /** The endpoint, e.g. `http://127.0.0.1:8080/mcp`; loopback only. */
  url: string;
  /** Keep-alive sockets to open at most (the number of concurrent clients). */
  maxSockets: number;
  /** A request not answered in this time fails, so a run always ends. */
  timeoutMs?: number;
}

/** Sends JSON-RPC over HTTP/1.1 keep-alive connections to one endpoint. */
export class JsonRpcHttpClient {
  private readonly url: URL;
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(options: JsonRpcHttpClientOptions) {
    this.url = assertLoopback(options.url);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends one HTTP request with a JSON body (or none) and reads the whole reply. */
  send(method: 'POST' | 'DELETE', body: string | undefined, headers: Record<string, string>): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        {
          method,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const contentType = res.headers['content-type'];
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              message: parseReply(contentType, Buffer.concat(chunks).toString('utf8')),
            });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** A `tools/call` of `name` with `args`, as a JSON-RPC request body. */
export function toolsCallBody(id: number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', id, params: { name, arguments: args } });
}

/**
 * A `tools/call` as an SDK v2 client sends it on the current protocol (2026-07-28, stateless):
 * its headers (the version, and the method and tool name repeated from the body) and its body,
 * whose `_meta` carries the version, the client's identity and its (here empty) capabilities.
 */
export function currentToolsCall(
  id: number,
  name: string,
  args: Record<string, unknown>,
): { headers: Record<string, string>; body: string } {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    [MCP_HEADERS.protocolVersion]: CURRENT_PROTOCOL_VERSION,
    [MCP_HEADERS.method]: 'tools/call',
    [MCP_HEADERS.name]: name,
  };
  const _meta = {
    [META_KEYS.protocolVersion]: CURRENT_PROTOCOL_VERSION,
    [META_KEYS.clientInfo]: { name: 'only1mcp-bench', version: '1.0.0' },
    [META_KEYS.clientCapabilities]: {},
  };
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', id, params: { name, arguments: args, _meta } });
  return { headers, body };
}

/** True when `message` is a JSON-RPC result (not an error) for `id`. */
export function isResult(message: JsonRpcReply | undefined, id: number): boolean {
  return message !== undefined && message.id === id && message.result !== undefined && message.error === undefined;
}

/** True when an HTTP reply carries a JSON-RPC result for `id`. */
export function isResultFor(reply: HttpReply, id: number): boolean {
  return reply.status === 200 && isResult(reply.message, id);
}

/** Headers a 2025-11-25 client sends (the transport insists on both media types in Accept). */
export function sessionHeaders(sessionId?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
  };
  if (sessionId) headers['mcp-session-id'] = sessionId;
  return headers;
}

/** Opens a 2025-11-25 session: `initialize`, then `notifications/initialized`. Resolves with its id. */
export async function openSession(client: JsonRpcHttpClient, clientName: string): Promise<string> {
  const init = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: SESSION_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '0.0.0' },
    },
  });
  const reply = await client.send('POST', init, sessionHeaders());
  const sessionId = reply.headers['mcp-session-id'];
  if (!isResultFor(reply, 0) || typeof sessionId !== 'string')
    throw new Error(`initialize failed: HTTP ${reply.status} ${JSON.stringify(reply.message)}`);
  const initialized = await client.send(
    'POST',
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    sessionHeaders(sessionId),
  );
  if (initialized.status !== 202) throw new Error(`notifications/initialized: HTTP ${initialized.status}`);
  return sessionId;
}

/** Ends a session (DELETE), ignoring failure: the gateway may already be stopping. */
export async function closeSession(client: JsonRpcHttpClient, sessionId: string): Promise<void> {
  await client.send('DELETE', undefined, sessionHeaders(sessionId)).catch(() => undefined);
}
