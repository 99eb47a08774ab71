/** How the admin API describes an open client session, on any front. */
import type { Server } from '@modelcontextprotocol/server';

/** One open client session. */
export interface SessionSummary {
  id: string;
  transport: 'streamable_http' | 'sse';
  /** The client's name and version from its `initialize`. */
  client?: { name: string; version: string };
  /** The protocol version the session speaks. */
  protocolVersion?: string;
  /** ISO time of its last request. */
  lastSeen: string;
  /** Open GET streams (Streamable HTTP). */
  streams?: number;
  /** Taken over from another replica (through Redis). */
  adopted?: boolean;
  /** Asleep after `session_hibernate_after` without requests: its next request wakes it. */
  dormant?: boolean;
}

/** The client's name and version as its server knows them. */
export function clientOf(server: Server): SessionSummary['client'] {
  const info = server.getClientVersion();
  return info ? { name: info.name, version: info.version } : undefined;
}
