/**
 * One live connection to one replica of a backend MCP server, behind one interface. The factory
 * below is the only place that looks at the transport kind.
 */
import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { ServerConfig } from '@only1mcp/config';
import type { ClientCapabilities, ServerCapabilities } from '@only1mcp/mcp-types';
import type { Logger } from '@only1mcp/logger';
import { httpFetch } from './httpFetch';
import { pruneAbortSignalAny } from './abortSignalAny';
import { SdkConnection, type EraMemory } from './sdkConnection';
import { StdioBackendTransport } from './stdioBackendTransport';

/** Options for one request to a backend. */
export interface BackendRequestOptions {
  /** Milliseconds before the request fails with BackendTimeout. */
  timeoutMs: number;
  /** Aborts the request (e.g. the client went away). */
  signal?: AbortSignal;
  /** Receives the backend's progress notifications for this request (`request_timeout` restarts on each). */
  onProgress?: (progress: Progress) => void;
  /**
   * The calling client's capabilities. A 2026-07-28 backend reads them from each request to decide
   * whether it may answer `input_required`, which is then returned as it is (for the client).
   */
  clientCapabilities?: ClientCapabilities;
}

/** One progress notification, without its token (the caller maps it to its own client's token). */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** Events a connection reports. */
export interface BackendConnectionEvents {
  /** The connection closed (process exited, HTTP stream ended) after it was up. */
  onClose?: (reason: string) => void;
  /** The backend said one of its lists changed (`notifications/<kind>/list_changed`). */
  onListChanged?: (kind: 'tools' | 'prompts' | 'resources') => void;
  /** The backend said a resource changed (`notifications/resources/updated`, sent to subscribers). */
  onResourceUpdated?: (uri: string) => void;
  /** The backend sent a log message (`notifications/message`). */
  onLog?: (params: Record<string, unknown>) => void;
  /**
   * Answers the backend's requests to the client (`sampling/createMessage`, `elicitation/create`,
   * `roots/list`). Only a connection that belongs to one client session has it: on a shared
   * connection nothing tells which client such a request is for.
   */
  client?: SessionClient;
  /**
   * For the shared connection of a `per_session` backend: declare sampling, elicitation and roots
   * anyway, so a backend that offers some tools only to capable clients lists them (clients use
   * them through their own connections). Requests that arrive on the shared connection itself are
   * refused (sampling, elicitation) or answered with no roots: they belong to no one client.
   */
  declareInputCapabilities?: boolean;
}

/** The client session a per-session connection acts for. */
export interface SessionClient {
  /** What the client declared it can do; the connection declares the same to the backend. */
  capabilities: ClientCapabilities;
  /** Forwards a backend's request to the client and resolves with the client's answer. */
  request(
    method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list',
    params: Record<string, unknown> | undefined,
    /** Aborted when the backend cancels its request (`notifications/cancelled`). */
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>>;
  /** Forwards a backend's log message to the client. */
  log?(params: Record<string, unknown>): void;
  /** The level the client set with `logging/setLevel`, applied to each connection that logs. */
  readonly logLevel?: string;
}

/** One connection to one backend replica. */
export interface BackendConnection {
  /** `serverId#index`, stable across reconnects. */
  readonly replicaId: string;
  /** Connects (spawns the process or opens the HTTP session) and negotiates the protocol. */
  connect(timeoutMs: number): Promise<void>;
  /** Sends one request and resolves with the backend's result exactly as it sent it. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendRequestOptions,
  ): Promise<Record<string, unknown>>;
  /** What the backend said it can do (after connect). */
  readonly capabilities: ServerCapabilities | undefined;
  /** The protocol version agreed with the backend (after connect). */
  readonly protocolVersion: string | undefined;
  /** Sends a notification to the backend (e.g. `notifications/roots/list_changed`); a no-op when not connected. */
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** Closes the connection and, for stdio, ends the process. */
  close(): Promise<void>;
}

/** Where one replica lives. */
export type ReplicaTarget =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: 'http' | 'sse'; url: string; headers: Record<string, string> };

/** The replica targets of a configured server: N processes for stdio, one per URL otherwise. */
export function replicaTargets(server: ServerConfig): { target: ReplicaTarget; weight: number }[] {
  if (server.transport === 'stdio') {
    const target: ReplicaTarget = {
      transport: 'stdio',
      command: server.command,
      args: server.args,
      env: server.env,
      cwd: server.cwd,
    };
    return Array.from({ length: server.replicas }, () => ({ target, weight: 1 }));
  }
  const urls = server.url !== undefined ? [server.url] : (server.urls ?? []);
  return urls.map((u) => ({
    target: { transport: server.transport, url: typeof u === 'string' ? u : u.url, headers: server.headers },
    weight: typeof u === 'string' ? 1 : u.weight,
  }));
}

/**
 * PATH for stdio backends: the gateway's own PATH, then every `node_modules/.bin` from the working
 * directory upwards (as `npx` finds local bins), so servers installed beside Only1MCP are found
 * however it was launched. The user's PATH comes first and so wins.
 */
export function commandSearchPath(cwd = process.cwd(), path = process.env.PATH ?? ''): string {
  const bins: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    bins.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) break;
  }
  return [path, ...bins].filter((p) => p !== '').join(delimiter);
}

/** True when connecting to the target starts a local process (its start is CPU the gateway's host pays). */
export function startsProcess(target: ReplicaTarget): boolean {
  return target.transport === 'stdio';
}

/** Builds the SDK client transport for a target: the one switch over transport kinds. */
function createTransport(replicaId: string, target: ReplicaTarget, logger: Logger): () => Transport {
  switch (target.transport) {
    case 'stdio':
      return () => {
        const transport = new StdioBackendTransport({
          command: target.command,
          args: target.args,
          env: { ...getDefaultEnvironment(), PATH: commandSearchPath(), ...target.env },
          cwd: target.cwd,
          stderr: 'pipe',
        });
        // A backend's stderr is its log: keep it, tagged with the replica, one line at a time.
        transport.stderr?.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString('utf8').split('\n')) {
            if (line.trim() !== '') logger.info('backend stderr', { replica: replicaId, line: line.slice(0, 2000) });
          }
        });
        return transport;
      };
    case 'http':
      // Each current-protocol request's signal is `AbortSignal.any` of the transport's and its own.
      pruneAbortSignalAny();
      return () =>
        new StreamableHTTPClientTransport(new URL(target.url), {
          requestInit: { headers: target.headers },
          fetch: httpFetch,
        });
    case 'sse':
      return () =>
        new SSEClientTransport(new URL(target.url), { requestInit: { headers: target.headers }, fetch: httpFetch });
  }
}

/** Creates the connection for one replica; `era` is shared by the server's connections (sdkConnection.ts). */
export function createBackendConnection(
  replicaId: string,
  target: ReplicaTarget,
  logger: Logger,
  events: BackendConnectionEvents = {},
  era?: EraMemory,
): BackendConnection {
  return new SdkConnection(replicaId, createTransport(replicaId, target, logger), logger, events, era);
}
