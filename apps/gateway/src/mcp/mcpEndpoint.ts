/**
 * `/mcp`: both protocol generations on one endpoint.
 * - A request carrying a 2025-11-25 `Mcp-Session-Id` goes to that session's transport (404 if unknown).
 * - `initialize` opens a new 2025-11-25 session (SDK Streamable HTTP transport, sessionful).
 * - Any other request without a session: the SDK's classifier decides. Current-protocol (2026-07-28)
 *   requests go to the SDK's stateless handler; claim-less requests (older clients, curl) are answered
 *   statelessly, as plain JSON: straight from the method table when they can be (statelessFastPath),
 *   through a per-request SDK transport otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import {
  classifyInboundRequest,
  createMcpHandler,
  isInitializeRequest,
  type McpHttpHandler,
  type Server,
} from '@modelcontextprotocol/server';
import {
  ERROR_CODES,
  ErrorCode,
  MCP_HEADERS,
  SUPPORTED_PROTOCOL_VERSIONS,
  jsonRpcError,
  protocolGeneration,
} from '@only1mcp/mcp-types';
import type { ChangedList } from '@only1mcp/registry';
import type { Request, Response } from 'express';
import { createMcpServer, createMethodTable, type McpServerDeps } from './createMcpServer';
import { answerDirectly } from './statelessFastPath';
import type { MethodHandler } from './createMcpServer';
import { sendListChanged } from './listChanged';
import { SessionEventStore } from './sessionEventStore';

/** A 2025-11-25 session held by this replica. */
/** The part of the SDK's session transport that serves web-standard requests. */
interface WebCore {
  handleRequest(request: globalThis.Request): Promise<globalThis.Response>;
}

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** Open GET streams: a client listening for notifications is not idle. */
  streams: number;
}

/** The `/mcp` handler plus what shutdown needs. */
export interface McpEndpoint {
  handle(req: Request, res: Response): Promise<void>;
  /** Answers a stateless request from the method table when it qualifies (see statelessFastPath); false otherwise. */
  answerDirectly(body: unknown, res: ServerResponse): boolean;
  /** Open 2025-11-25 sessions. */
  readonly sessionCount: number;
  /** Tells every client of this endpoint that lists changed: sessions on their GET stream, current-protocol clients on their `subscriptions/listen` stream. */
  notifyListChanged(changed: readonly ChangedList[]): void;
  /** Tells current-protocol clients listening for `uri` (their `subscriptions/listen` filter) that it changed. */
  notifyResourceUpdated(uri: string): void;
  close(): Promise<void>;
}

/** Puts the media types the SDK transport insists on into Accept, so a bare curl gets JSON. */
function acceptJson(req: IncomingMessage): void {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    req.headers.accept = 'application/json, text/event-stream';
  }
}

/** Creates the `/mcp` endpoint. */
export function createMcpEndpoint(deps: McpServerDeps & { maxBodyBytes: number }): McpEndpoint {
  const sessions = new Map<string, Session>();
  const modern: McpHttpHandler = createMcpHandler(() => createMcpServer(deps), {
    legacy: 'reject',
    maxRequestBodySize: deps.maxBodyBytes,
    onerror: (err) => deps.logger.debug('mcp handler error', { error: err.message }),
  });
  const modernNode = toNodeHandler(modern);

  // Sessions of clients that vanished without DELETE would otherwise live forever.
  const idleMs = deps.config.server.session_idle_timeout;
  const reaper = setInterval(
    () => {
      const cutoff = Date.now() - idleMs;
      for (const [id, session] of sessions) {
        if (session.streams > 0 || session.lastSeen > cutoff) continue;
        sessions.delete(id);
        deps.logger.info('session closed: idle', { session: id, idleMs });
        void session.transport.close().catch(() => undefined);
      }
    },
    Math.max(1000, Math.min(60_000, idleMs / 4)),
  );
  reaper.unref();

  // The method table depends on what the backends offer (completions), so it is rebuilt when that changes.
  let table: { completions: boolean; methods: ReadonlyMap<string, MethodHandler> } | undefined;
  const direct = (body: unknown, res: ServerResponse): boolean => {
    const completions = deps.registry.capabilities().completions !== undefined;
    if (table?.completions !== completions) table = { completions, methods: createMethodTable(deps) };
    return answerDirectly(body, res, table.methods);
  };

  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(jsonRpcError(undefined, ErrorCode.SessionNotFound, 'Session not found: initialize a new session')),
    );
  };

  /** A session transport and its server; `id` fixes the session id (a session adopted from another replica). */
  function sessionTransport(id?: string): { server: Server; transport: NodeStreamableHTTPServerTransport } {
    const server = createMcpServer(deps, id ?? randomUUID());
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => id ?? randomUUID(),
      eventStore: new SessionEventStore(),
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, server, lastSeen: Date.now(), streams: 0 });
        deps.logger.info(id ? 'session adopted' : 'session opened', { session: sessionId });
      },
      // Called on DELETE: the session ends everywhere.
      onsessionclosed: (sessionId) => {
        sessions.delete(sessionId);
        void deps.sharedSessions?.remove(sessionId);
        deps.logger.info('session closed', { session: sessionId });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
        deps.sharedSessions?.release(transport.sessionId);
      }
    };
    return { server, transport };
  }

  async function openSession(req: Request, res: Response): Promise<void> {
    const { server, transport } = sessionTransport();
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    if (transport.sessionId && deps.sharedSessions) await deps.sharedSessions.save(transport.sessionId, req.body);
  }

  /**
   * Takes over a session another replica opened: replays its stored initialize (and initialized)
   * into a new transport that takes the same id. This reaches into the SDK transport's web-standard
   * core, which has no public way to start already initialized; undefined if that ever changes.
   */
  // A session a client ended on another replica ends here too.
  void deps.sharedSessions?.onEnded((id) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    deps.logger.info('session closed: ended on another replica', { session: id });
    void session.transport.close().catch(() => undefined);
  });

  // Two requests for one unknown session at once must adopt it once.
  const adopting = new Map<string, Promise<Session | undefined>>();
  function adopt(id: string): Promise<Session | undefined> {
    let pending = adopting.get(id);
    if (!pending) {
      pending = adoptSession(id).finally(() => adopting.delete(id));
      adopting.set(id, pending);
    }
    return pending;
  }

  async function adoptSession(id: string): Promise<Session | undefined> {
    const initialize = await deps.sharedSessions?.load(id);
    if (!initialize) return undefined;
    const { server, transport } = sessionTransport(id);
    const core = (transport as unknown as { _webStandardTransport?: WebCore })._webStandardTransport;
    if (typeof core?.handleRequest !== 'function') {
      deps.logger.warn('cannot adopt sessions: the SDK transport changed shape', { session: id });
      return undefined;
    }
    await server.connect(transport);
    const post = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await core.handleRequest(
        new globalThis.Request('http://only1mcp.local/mcp', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          body: JSON.stringify(body),
        }),
      );
      await response.text();
    };
    await post(initialize);
    const params = (initialize as { params?: { protocolVersion?: string } }).params;
    await post(
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'mcp-session-id': id, ...(params?.protocolVersion ? { 'mcp-protocol-version': params.protocolVersion } : {}) },
    );
    return sessions.get(id);
  }

  async function stateless(req: Request, res: Response): Promise<void> {
    acceptJson(req);
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = createMcpServer(deps);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  return {
    async handle(req, res) {
      // Checked here so every path answers with the documented code (the SDK's stateless path would send -32000).
      const version = req.headers[MCP_HEADERS.protocolVersion];
      if (typeof version === 'string' && protocolGeneration(version) === undefined) {
        res.writeHead(ERROR_CODES.UnsupportedProtocolVersion.httpStatus, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            jsonRpcError(undefined, ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version: ${version}`, {
              supported: [...SUPPORTED_PROTOCOL_VERSIONS],
              requested: version,
            }),
          ),
        );
        return;
      }
      const sessionId = req.headers[MCP_HEADERS.sessionId];
      if (typeof sessionId === 'string') {
        const session = sessions.get(sessionId) ?? (await adopt(sessionId));
        if (!session) return notFound(res);
        deps.sharedSessions?.touch(sessionId);
        session.lastSeen = Date.now();
        if (req.method === 'GET') {
          session.streams += 1;
          res.once('close', () => {
            session.streams -= 1;
            session.lastSeen = Date.now();
          });
        }
        return session.transport.handleRequest(req, res, req.body);
      }
      if (req.method === 'POST' && isInitializeRequest(req.body)) return openSession(req, res);
      if (req.method !== 'POST') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            jsonRpcError(undefined, ErrorCode.InvalidRequest, `${req.method} /mcp needs an Mcp-Session-Id header`),
          ),
        );
        return;
      }
      const header = (name: string) =>
        typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined;
      const route = classifyInboundRequest({
        httpMethod: req.method,
        protocolVersionHeader: header(MCP_HEADERS.protocolVersion),
        mcpMethodHeader: header(MCP_HEADERS.method),
        mcpNameHeader: header(MCP_HEADERS.name),
        body: req.body,
      });
      // Current-protocol requests, and ones the classifier rejects (it words the error), go to the SDK's handler.
      if (route.kind !== 'legacy') return modernNode(req, res, req.body);
      if (direct(req.body, res)) return;
      return stateless(req, res);
    },
    answerDirectly: direct,
    notifyResourceUpdated(uri) {
      modern.notify.resourceUpdated(uri);
    },
    notifyListChanged(changed) {
      for (const session of sessions.values()) sendListChanged(session.server, changed);
      const notify = {
        tools: () => modern.notify.toolsChanged(),
        prompts: () => modern.notify.promptsChanged(),
        resources: () => modern.notify.resourcesChanged(),
      };
      for (const list of changed) notify[list]();
    },
    get sessionCount() {
      return sessions.size;
    },
    async close() {
      clearInterval(reaper);
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      sessions.clear();
      await modern.close();
      await deps.sharedSessions?.close();
    },
  };
}
