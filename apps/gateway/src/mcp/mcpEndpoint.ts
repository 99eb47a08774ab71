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
import {
  classifyInboundRequest,
  createMcpHandler,
  isInitializeRequest,
  isInitializedNotification,
  type ClientCapabilities,
  type McpHttpHandler,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import {
  CURRENT_PROTOCOL_VERSION,
  ERROR_CODES,
  ErrorCode,
  MCP_HEADERS,
  SUPPORTED_PROTOCOL_VERSIONS,
  jsonRpcError,
  protocolGeneration,
} from '@only1mcp/mcp-types';
import type { ChangedList } from '@only1mcp/registry';
import type { Request, Response } from 'express';
import { createMcpServer, methodTableOf, type McpServerDeps } from './createMcpServer';
import { answerDirectly, type DirectCaller } from './statelessFastPath';
import { answerInSession, answersInput, type DirectSession } from './sessionCalls';
import { serveWebHandler, serveWebTransport, type NodeTransportHandler } from './webTransportAdapter';
import {
  clientOfInitialize,
  putToSleep,
  reapSessions,
  type DormantSession,
  type SessionMaps,
  type SleepingCandidate,
} from './dormantSessions';
import { sendListChanged } from './listChanged';
import { SessionEventStore } from './sessionEventStore';
import { REDIS_START_WAIT_MS } from '../sharedHealth';
import { relaySession, type SessionRelay } from './sessionRelay';
import { clientOf, type SessionSummary } from '../sessionSummary';
import { callerOf, principalOf } from '../http/authGate';
import { unexpectedFailure } from '../http/bodyErrors';

/** A 2025-11-25 session held by this replica. */
interface Session extends SleepingCandidate, DirectSession {
  transport: WebStandardStreamableHTTPServerTransport;
  /** Serves a client's HTTP request with the transport (the SDK's Node adapter). */
  serve: NodeTransportHandler;
  server: Server;
  /** The protocol version the client asked for, when the gateway speaks it (sent with requests it injects). */
  protocolVersion?: string;
  /** With Redis: how messages of this session cross replicas. */
  relay?: SessionRelay;
  /** Opened here and sent nothing since but its handshake and lists: it sleeps `session_hibernate_after_handshake` after the handshake. */
  fresh: boolean;
}

/** The `/mcp` handler plus what shutdown needs. */
export interface McpEndpoint {
  handle(req: Request, res: Response): Promise<void>;
  /**
   * Serves a POST without a session whose checks the hot path made (Host/Origin, draining,
   * admission, media type, body), as `handle` would: a current-protocol request by the SDK's
   * handler, without Express in front. Never rejects: a failure is answered 500 and logged.
   */
  servePost(req: IncomingMessage, res: ServerResponse, body: unknown): void;
  /** Answers a stateless request from the method table when it qualifies (see statelessFastPath); false otherwise. */
  answerDirectly(body: unknown, res: ServerResponse, caller?: DirectCaller): boolean;
  /**
   * Answers a POST of a session held here, awake, when it qualifies (see sessionCalls); false,
   * nothing written, otherwise (and for a session id it does not hold awake: `handle` answers those).
   */
  answerInSession(req: IncomingMessage, res: ServerResponse, body: unknown): boolean;
  /** True while the session with this id is held here awake (the hot path takes its POSTs). */
  holdsSession(id: unknown): boolean;
  /** Resolves once sessions can be shared (Redis answered and the replica listens), or after a bounded wait. */
  readonly ready: Promise<void>;
  /** Open 2025-11-25 sessions. */
  readonly sessionCount: number;
  /** Open `subscriptions/listen` streams of current-protocol clients (no session; counted until each reply ends). */
  readonly listenStreams: number;
  /** The open sessions, for the admin API. */
  sessions(): SessionSummary[];
  /** Tells every client of this endpoint that lists changed: sessions on their GET stream, current-protocol clients on their `subscriptions/listen` stream. */
  notifyListChanged(changed: readonly ChangedList[]): void;
  /** Tells current-protocol clients listening for `uri` (their `subscriptions/listen` filter) that it changed. */
  notifyResourceUpdated(uri: string): void;
  close(): Promise<void>;
}

/**
 * Whether `body` is a message for `method`: asked before the SDK's guards (`isInitializeRequest`
 * and the like), which are zod parses whose failure, the answer for nearly every request, costs
 * 12–15 µs of error building each (a micro-benchmark, docs/BENCHMARKS.md eighth pass).
 */
const isFor = (body: unknown, method: string): boolean =>
  typeof body === 'object' && body !== null && (body as { method?: unknown }).method === method;

/**
 * Whether the SDK's classifier can only send this POST to the current protocol's handler: a
 * request (a `method` and an `id`, no `result` or `error`) under the current protocol's
 * `MCP-Protocol-Version` header. The classifier routes such a request to the modern path (or
 * rejects it there, `initialize` included), never to the 2025-era one; and the handler classifies
 * it again itself, so asking first cost a second classification (its zod guards, 7–8 µs a
 * request in a micro-benchmark: docs/BENCHMARKS.md, tenth pass).
 */
function currentRequest(req: IncomingMessage, body: unknown): boolean {
  if (req.headers[MCP_HEADERS.protocolVersion] !== CURRENT_PROTOCOL_VERSION) return false;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as Record<string, unknown>;
  return typeof message.method === 'string' && 'id' in message && !('result' in message) && !('error' in message);
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
  /** Current-protocol `subscriptions/listen` replies not ended yet. */
  let listenStreams = 0;
  const modern: McpHttpHandler = createMcpHandler(() => createMcpServer(deps), {
    legacy: 'reject',
    maxRequestBodySize: deps.maxBodyBytes,
    onerror: (err) => deps.logger.debug('mcp handler error', { error: err.message }),
  });
  // Served as sessions are (webTransportAdapter.ts), each request's `signal` its connection's.
  const modernNode = serveWebHandler((request, extra) => modern.fetch(request, extra), {
    maxRequestBodySize: deps.maxBodyBytes,
    onerror: (err) => deps.logger.debug('mcp handler error', { error: err.message }),
    signal: 'connection',
  });

  /** Quiet sessions asleep (dormantSessions.ts): no SDK server, only what wakes them. */
  const dormant = new Map<string, DormantSession>();
  const maps: SessionMaps<Session> = { live: sessions, dormant, logger: deps.logger };
  const { session_hibernate_after: sleepMs, session_hibernate_after_handshake: freshSleepMs } = deps.config.server;
  // Nothing a woken session could not rebuild: no per-session backend connection, no subscription.
  const maySleep = (session: Session) =>
    !deps.registry.holdsSession(session.id) && !deps.subscriptions?.hasClient(session.server);

  // Sessions of clients that vanished without DELETE would otherwise live forever; quiet ones sleep.
  const reaper = reapSessions({ ...maps, idleMs: deps.config.server.session_idle_timeout, sleepMs, maySleep });

  /**
   * A session whose handshake just ended sleeps soon unless the client uses it: most idle
   * sessions never do more, and one dead within a fraction of a second is swept by V8's young
   * GC instead of growing the old generation (dormantSessions.ts). When the bound is not shorter
   * than `session_hibernate_after`, the reaper's applies.
   */
  function afterHandshake(session: Session): void {
    if (sleepMs === 0 || freshSleepMs >= sleepMs) return;
    const sleepIfUnused = () => {
      const unused = session.fresh && session.active === 0 && session.streams === 0;
      if (unused && sessions.get(session.id) === session && maySleep(session)) putToSleep(session, maps);
    };
    setTimeout(sleepIfUnused, freshSleepMs).unref();
  }

  const direct = (body: unknown, res: ServerResponse, caller?: DirectCaller): boolean =>
    answerDirectly(body, res, methodTableOf(deps), caller);

  /**
   * A request of `session` being answered: the session is not idle until its response is done.
   * `handshakeEnds` (its `notifications/initialized`): a fresh session then may sleep soon.
   */
  function enter(session: Session, res: ServerResponse, handshakeEnds = false): void {
    deps.sharedSessions?.touch(session.id);
    session.lastSeen = Date.now();
    session.active += 1;
    res.once('close', () => {
      session.active -= 1;
      session.lastSeen = Date.now();
      if (handshakeEnds && session.fresh) afterHandshake(session);
    });
  }

  /**
   * Answers a session's POST here when it qualifies: lists, plain calls, their cancellation
   * (sessionCalls.ts). Anything but a list is the client using the session: it is no longer fresh.
   */
  const inSession = (session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): boolean =>
    answerInSession(
      body,
      res,
      { table: methodTableOf(deps), registry: deps.registry },
      session,
      callerOf(req),
      (used) => {
        enter(session, res);
        if (used) session.fresh = false;
      },
    );

  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(jsonRpcError(undefined, ErrorCode.SessionNotFound, 'Session not found: initialize a new session')),
    );
  };

  /** Feeds one message into a session's transport as if its client had sent it; the answer is dropped. */
  async function inject(session: Session, body: unknown, fresh = false): Promise<void> {
    const response = await session.transport.handleRequest(
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

  /** How a web-standard transport serves a Node request (webTransportAdapter.ts). */
  const adapt = (transport: WebStandardStreamableHTTPServerTransport): NodeTransportHandler =>
    serveWebTransport(transport, {
      maxRequestBodySize: deps.maxBodyBytes,
      onerror: (err) => deps.logger.debug('mcp transport error', { error: err.message }),
    });

  /** A request of the gateway's own into a session; its id cannot clash with the client's. */
  const ownRequest = (method: string, params: Record<string, unknown>) => ({
    jsonrpc: '2.0',
    id: `only1mcp-restore-${randomUUID()}`,
    method,
    params,
  });

  /**
   * A connected session transport and its server. `id` fixes the session id (a session adopted
   * from another replica, or woken here); the id is also the session's key for sticky routing, so
   * every replica routes the session alike. With Redis the transport is relayed (sessionRelay.ts).
   */
  async function connectSession(
    initialize: unknown,
    id?: string,
    clientId?: string,
    origin: 'adopted' | 'woken' = 'adopted',
  ): Promise<Session> {
    const sessionId = id ?? randomUUID();
    const server = createMcpServer(deps, sessionId, {
      onLogLevel: (level) => {
        session.logLevel = level;
      },
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      eventStore: new SessionEventStore(),
      // Awaited by the SDK before it answers: the record is in Redis before the client can reach another replica.
      onsessioninitialized: async () => {
        sessions.set(sessionId, session);
        if (origin === 'woken') deps.logger.debug('session woken', { session: sessionId });
        else deps.logger.info(id ? 'session adopted' : 'session opened', { session: sessionId });
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
      serve: adapt(transport),
      server,
      lastSeen: Date.now(),
      streams: 0,
      active: 0,
      initialize: JSON.stringify(initialize),
      adopted: id !== undefined,
      fresh: id === undefined,
      clientId,
      answersInput: answersInput(
        (initialize as { params?: { capabilities?: ClientCapabilities } } | undefined)?.params?.capabilities,
      ),
      calls: new Map(),
      protocolVersion: typeof version === 'string' && protocolGeneration(version) !== undefined ? version : undefined,
    };
    await server.connect(transport);
    const shared = deps.sharedSessions;
    if (shared) session.relay = relaySession(transport, sessionId, shared, () => session.streams > 0, deps.logger);
    return session;
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const session = await connectSession(body, undefined, principalOf(req)?.clientId);
    await session.serve(req, res, body);
  }

  // A session a client ended on another replica ends here too; answers and unsubscribes relayed
  // to this replica reach the session they belong to.
  const listening = deps.sharedSessions?.listen(
    (id) => {
      const session = sessions.get(id);
      if (dormant.delete(id)) deps.logger.info('session closed: ended on another replica', { session: id });
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

  // Two requests for one session not live here at once must wake or adopt it once.
  const restoring = new Map<string, Promise<Session | undefined>>();
  function restore(id: string): Promise<Session | undefined> {
    let pending = restoring.get(id);
    if (!pending) {
      const record = dormant.get(id);
      dormant.delete(id);
      pending = (record ? wake(id, record) : adoptSession(id))
        .catch((err: Error) => {
          deps.logger.warn(record ? 'could not wake a session' : 'could not adopt a session', {
            session: id,
            error: err.message,
          });
          return undefined;
        })
        .finally(() => restoring.delete(id));
      restoring.set(id, pending);
    }
    return pending;
  }

  /** Replays the handshake a session was opened with (and its log level) into a new transport of the same id. */
  async function replay(session: Session, initialize: unknown, logLevel: string | undefined): Promise<void> {
    await inject(session, initialize, true);
    await inject(session, { jsonrpc: '2.0', method: 'notifications/initialized' });
    if (logLevel) await inject(session, ownRequest('logging/setLevel', { level: logLevel }));
  }

  /** Wakes a dormant session (see dormantSessions.ts). */
  async function wake(id: string, record: DormantSession): Promise<Session | undefined> {
    const initialize = JSON.parse(record.initialize) as unknown;
    const session = await connectSession(initialize, id, record.clientId, 'woken');
    session.adopted = record.adopted;
    await replay(session, initialize, record.logLevel);
    return sessions.get(id);
  }

  /**
   * Takes over a session another replica opened: replays its stored initialize (and initialized)
   * into a new transport that takes the same id, then restores what the client set since: its log
   * level, and subscriptions whose replica is gone. (The SDK transport has no way to start
   * already initialized, so the handshake is replayed through its public `handleRequest`.)
   */
  async function adoptSession(id: string): Promise<Session | undefined> {
    const record = await deps.sharedSessions?.load(id);
    if (!record) return undefined;
    const session = await connectSession(record.initialize, id, record.clientId);
    await replay(session, record.initialize, record.logLevel);
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

  async function stateless(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    acceptJson(req);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = createMcpServer(deps);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await adapt(transport)(req, res, body);
  }

  /** A POST without a session: `initialize` opens one; the SDK's classifier routes anything else (see the file's comment). */
  async function sessionlessPost(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    // An initialize without an id is a notification: it would open a session nobody learns the id of.
    if (isFor(body, 'initialize') && isInitializeRequest(body) && (body as { id?: unknown }).id !== undefined)
      return openSession(req, res, body);
    const header = (name: string) =>
      typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined;
    // Current-protocol requests, and ones the classifier rejects (it words the error), go to the SDK's handler.
    const modernRoute =
      currentRequest(req, body) ||
      classifyInboundRequest({
        httpMethod: 'POST',
        protocolVersionHeader: header(MCP_HEADERS.protocolVersion),
        mcpMethodHeader: header(MCP_HEADERS.method),
        mcpNameHeader: header(MCP_HEADERS.name),
        body,
      }).kind !== 'legacy';
    if (modernRoute) {
      if (isFor(body, 'subscriptions/listen')) {
        listenStreams += 1;
        res.once('close', () => (listenStreams -= 1));
      }
      return modernNode(req, res, body);
    }
    if (direct(body, res, callerOf(req))) return;
    return stateless(req, res, body);
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
        // A session belongs to the client that opened it: to anyone else it does not exist (and
        // another client cannot wake it either).
        const clientId = principalOf(req)?.clientId;
        const known = sessions.get(sessionId) ?? dormant.get(sessionId);
        if (known && known.clientId !== clientId) return notFound(res);
        // A list needs nothing of the session's server, so a sleeping session is answered asleep.
        const asleep = dormant.get(sessionId);
        if (asleep && req.method === 'POST' && direct(req.body, res, { ...callerOf(req), sessionKey: sessionId })) {
          asleep.lastSeen = Date.now();
          deps.sharedSessions?.touch(sessionId);
          return;
        }
        const session = sessions.get(sessionId) ?? (await restore(sessionId));
        if (!session || session.clientId !== clientId) return notFound(res);
        if (req.method === 'POST' && inSession(session, req, res, req.body)) return;
        // The client's `notifications/initialized` ends the handshake (a woken session's is replayed, not seen here).
        const handshakeEnds =
          req.method === 'POST' && isFor(req.body, 'notifications/initialized') && isInitializedNotification(req.body);
        enter(session, res, handshakeEnds);
        if (req.method === 'GET') {
          session.streams += 1;
          if (session.streams === 1) holdStream(session);
          res.once('close', () => {
            session.streams -= 1;
            session.lastSeen = Date.now();
            if (session.streams === 0) void deps.sharedSessions?.releaseStream(session.id);
          });
        }
        if (!handshakeEnds) session.fresh = false;
        return session.serve(req, res, req.body);
      }
      if (req.method !== 'POST') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            jsonRpcError(undefined, ErrorCode.InvalidRequest, `${req.method} /mcp needs an Mcp-Session-Id header`),
          ),
        );
        return;
      }
      return sessionlessPost(req, res, req.body);
    },
    servePost(req, res, body) {
      sessionlessPost(req, res, body).catch((err: Error) => {
        deps.logger.error('unexpected error', { error: err.stack ?? String(err) });
        if (res.headersSent) return void res.destroy();
        const { status, body: reply } = unexpectedFailure();
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      });
    },
    ready: (async () => {
      await deps.sharedSessions?.ready(REDIS_START_WAIT_MS);
      await listening;
    })(),
    answerDirectly: direct,
    holdsSession: (id) => typeof id === 'string' && sessions.has(id),
    answerInSession(req, res, body) {
      const id = req.headers[MCP_HEADERS.sessionId];
      const version = req.headers[MCP_HEADERS.protocolVersion];
      if (typeof id !== 'string' || (typeof version === 'string' && protocolGeneration(version) === undefined))
        return false;
      const session = sessions.get(id);
      if (!session || session.clientId !== principalOf(req)?.clientId) return false;
      return inSession(session, req, res, body);
    },
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
      return sessions.size + dormant.size;
    },
    get listenStreams() {
      return listenStreams;
    },
    sessions() {
      const live = [...sessions.values()].map((s) => ({
        id: s.id,
        transport: 'streamable_http' as const,
        client: clientOf(s.server),
        protocolVersion: s.protocolVersion,
        lastSeen: new Date(s.lastSeen).toISOString(),
        streams: s.streams,
        adopted: s.adopted,
      }));
      const asleep = [...dormant].map(([id, d]) => ({
        id,
        transport: 'streamable_http' as const,
        client: clientOfInitialize(d.initialize),
        lastSeen: new Date(d.lastSeen).toISOString(),
        streams: 0,
        adopted: d.adopted,
        dormant: true,
      }));
      return [...live, ...asleep];
    },
    async close() {
      clearInterval(reaper);
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      sessions.clear();
      dormant.clear();
      await modern.close();
      await deps.sharedSessions?.close();
    },
  };
}
