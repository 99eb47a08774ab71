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
import { REDIS_START_WAIT_MS } from '../sharedHealth';
import { relaySession, type SessionRelay } from './sessionRelay';
import { clientOf, type SessionSummary } from '../sessionSummary';
import type { Principal } from '@only1mcp/auth';
import { principalOf } from '../http/authGate';

/** The part of the SDK's session transport that serves web-standard requests. */
interface WebCore {
  handleRequest(request: globalThis.Request): Promise<globalThis.Response>;
}

/** A 2025-11-25 session held by this replica. */
interface Session {
  id: string;
  transport: NodeStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** Open GET streams: a client listening for notifications is not idle. */
  streams: number;
  /** The protocol version the client asked for, when the gateway speaks it (sent with requests it injects). */
  protocolVersion?: string;
  /** With Redis: how messages of this session cross replicas. */
  relay?: SessionRelay;
  /** Taken over from another replica. */
  adopted: boolean;
  /** The authenticated client that opened it (with `auth`); only it may use the session. */
  clientId?: string;
}

/** The `/mcp` handler plus what shutdown needs. */
export interface McpEndpoint {
  handle(req: Request, res: Response): Promise<void>;
  /** Answers a stateless request from the method table when it qualifies (see statelessFastPath); false otherwise. */
  answerDirectly(body: unknown, res: ServerResponse, principal?: Principal): boolean;
  /** Resolves once sessions can be shared (Redis answered and the replica listens), or after a bounded wait. */
  readonly ready: Promise<void>;
  /** Open 2025-11-25 sessions. */
  readonly sessionCount: number;
  /** The open sessions, for the admin API. */
  sessions(): SessionSummary[];
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
  const direct = (body: unknown, res: ServerResponse, principal?: Principal): boolean => {
    const completions = deps.registry.capabilities().completions !== undefined;
    if (table?.completions !== completions) table = { completions, methods: createMethodTable(deps) };
    return answerDirectly(body, res, table.methods, principal);
  };

  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(jsonRpcError(undefined, ErrorCode.SessionNotFound, 'Session not found: initialize a new session')),
    );
  };

  /** The SDK transport's web-standard core: how the gateway feeds a session requests of its own (see adoptSession). */
  function webCore(transport: NodeStreamableHTTPServerTransport): WebCore | undefined {
    const core = (transport as unknown as { _webStandardTransport?: WebCore })._webStandardTransport;
    return typeof core?.handleRequest === 'function' ? core : undefined;
  }

  /** Feeds one message into a session's transport as if its client had sent it; the answer is dropped. */
  async function inject(session: Session, body: unknown, fresh = false): Promise<void> {
    const core = webCore(session.transport);
    if (!core) throw new Error('the SDK transport changed shape');
    const response = await core.handleRequest(
      new globalThis.Request('http://only1mcp.local/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(fresh ? {} : { [MCP_HEADERS.sessionId]: session.id }),
          ...(!fresh && session.protocolVersion ? { [MCP_HEADERS.protocolVersion]: session.protocolVersion } : {}),
        },
        body: JSON.stringify(body),
      }),
    );
    await response.text();
  }

  /** A request of the gateway's own into a session; its id cannot clash with the client's. */
  const ownRequest = (method: string, params: Record<string, unknown>) => ({
    jsonrpc: '2.0',
    id: `only1mcp-restore-${randomUUID()}`,
    method,
    params,
  });

  /**
   * A connected session transport and its server. `id` fixes the session id (a session adopted
   * from another replica); the id is also the session's key for sticky routing, so every replica
   * routes the session alike. With Redis the transport is relayed (sessionRelay.ts).
   */
  async function connectSession(initialize: unknown, id?: string, clientId?: string): Promise<Session> {
    const sessionId = id ?? randomUUID();
    const server = createMcpServer(deps, sessionId);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      eventStore: new SessionEventStore(),
      // Awaited by the SDK before it answers: the record is in Redis before the client can reach another replica.
      onsessioninitialized: async () => {
        sessions.set(sessionId, session);
        deps.logger.info(id ? 'session adopted' : 'session opened', { session: sessionId });
        if (!id) await deps.sharedSessions?.save(sessionId, initialize, clientId);
      },
      // Called on DELETE: the session ends everywhere.
      onsessionclosed: () => {
        sessions.delete(sessionId);
        void deps.sharedSessions?.remove(sessionId);
        deps.logger.info('session closed', { session: sessionId });
      },
    });
    transport.onclose = () => {
      if (sessions.get(sessionId) === session) sessions.delete(sessionId);
      deps.sharedSessions?.release(sessionId);
    };
    const version = (initialize as { params?: { protocolVersion?: unknown } } | undefined)?.params?.protocolVersion;
    const session: Session = {
      id: sessionId,
      transport,
      server,
      lastSeen: Date.now(),
      streams: 0,
      adopted: id !== undefined,
      clientId,
      protocolVersion: typeof version === 'string' && protocolGeneration(version) !== undefined ? version : undefined,
    };
    await server.connect(transport);
    const shared = deps.sharedSessions;
    if (shared) session.relay = relaySession(transport, sessionId, shared, () => session.streams > 0, deps.logger);
    return session;
  }

  async function openSession(req: Request, res: Response): Promise<void> {
    const session = await connectSession(req.body, undefined, principalOf(req)?.clientId);
    await session.transport.handleRequest(req, res, req.body);
  }

  // A session a client ended on another replica ends here too; answers and unsubscribes relayed
  // to this replica reach the session they belong to.
  const listening = deps.sharedSessions?.listen(
    (id) => {
      const session = sessions.get(id);
      if (!session) return;
      sessions.delete(id);
      deps.logger.info('session closed: ended on another replica', { session: id });
      void session.transport.close().catch(() => undefined);
    },
    (relayed) => {
      const session = sessions.get(relayed.session);
      if (!session) return;
      if ('message' in relayed) session.relay?.answer(relayed.message);
      else
        void deps.subscriptions
          ?.unsubscribe(relayed.unsubscribe, session.server)
          .catch((err: Error) => deps.logger.debug('could not release a subscription', { error: err.message }));
    },
  );

  /**
   * Subscriptions of the session held by replicas that are gone are taken over here, so the
   * client keeps hearing of updates (a live holder keeps its own: two would deliver twice).
   */
  async function takeOverSubscriptions(session: Session, subscriptions: Map<string, string>): Promise<void> {
    for (const [uri, holder] of subscriptions) {
      if (await deps.sharedSessions!.isAlive(holder)) continue;
      deps.logger.info('subscription taken over from a replica that is gone', { session: session.id, uri });
      await inject(session, ownRequest('resources/subscribe', { uri }));
    }
  }

  // Two requests for one unknown session at once must adopt it once.
  const adopting = new Map<string, Promise<Session | undefined>>();
  function adopt(id: string): Promise<Session | undefined> {
    let pending = adopting.get(id);
    if (!pending) {
      pending = adoptSession(id)
        .catch((err: Error) => {
          deps.logger.warn('could not adopt a session', { session: id, error: err.message });
          return undefined;
        })
        .finally(() => adopting.delete(id));
      adopting.set(id, pending);
    }
    return pending;
  }

  /**
   * Takes over a session another replica opened: replays its stored initialize (and initialized)
   * into a new transport that takes the same id, then restores what the client set since: its log
   * level, and subscriptions whose replica is gone. This reaches into the SDK transport's
   * web-standard core, which has no public way to start already initialized.
   */
  async function adoptSession(id: string): Promise<Session | undefined> {
    const record = await deps.sharedSessions?.load(id);
    if (!record) return undefined;
    const session = await connectSession(record.initialize, id, record.clientId);
    if (!webCore(session.transport)) {
      deps.logger.warn('cannot adopt sessions: the SDK transport changed shape', { session: id });
      await session.transport.close().catch(() => undefined);
      return undefined;
    }
    await inject(session, record.initialize, true);
    await inject(session, { jsonrpc: '2.0', method: 'notifications/initialized' });
    if (record.logLevel) await inject(session, ownRequest('logging/setLevel', { level: record.logLevel }));
    await takeOverSubscriptions(session, record.subscriptions);
    return sessions.get(id);
  }

  /** The client opened its GET stream here: messages other replicas have for it come here now. */
  function holdStream(session: Session): void {
    const shared = deps.sharedSessions;
    if (!shared) return;
    void shared.holdStream(session.id, (message) => session.relay?.toClient(message));
    // A client reopens its stream when the replica that held it died: that replica's subscriptions move here.
    void shared
      .load(session.id)
      .then((record) => record && takeOverSubscriptions(session, record.subscriptions))
      .catch((err: Error) => deps.logger.debug('could not take over subscriptions', { error: err.message }));
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
        // A session belongs to the client that opened it: to anyone else it does not exist.
        if (!session || session.clientId !== principalOf(req)?.clientId) return notFound(res);
        deps.sharedSessions?.touch(sessionId);
        session.lastSeen = Date.now();
        if (req.method === 'GET') {
          session.streams += 1;
          if (session.streams === 1) holdStream(session);
          res.once('close', () => {
            session.streams -= 1;
            session.lastSeen = Date.now();
            if (session.streams === 0) void deps.sharedSessions?.releaseStream(session.id);
          });
        }
        return session.transport.handleRequest(req, res, req.body);
      }
      // An initialize without an id is a notification: it would open a session nobody learns the id of.
      if (req.method === 'POST' && isInitializeRequest(req.body) && (req.body as { id?: unknown }).id !== undefined)
        return openSession(req, res);
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
      if (direct(req.body, res, principalOf(req))) return;
      return stateless(req, res);
    },
    ready: (async () => {
      await deps.sharedSessions?.ready(REDIS_START_WAIT_MS);
      await listening;
    })(),
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
    sessions() {
      return [...sessions.values()].map((s) => ({
        id: s.id,
        transport: 'streamable_http' as const,
        client: clientOf(s.server),
        protocolVersion: s.protocolVersion,
        lastSeen: new Date(s.lastSeen).toISOString(),
        streams: s.streams,
        adopted: s.adopted,
      }));
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
