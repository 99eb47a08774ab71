/**
 * `createApp(deps)` builds the Express app; it never listens, so tests drive it with supertest
 * and `main` owns the port. Routes: `/mcp` (both protocol generations), `/sse` + `/messages`
 * (2024-11-05 HTTP+SSE), `/health`, `/ready`, `/metrics`, and the admin API under `/api/v1/admin/`.
 */
import type { Config } from '@only1mcp/config';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { ChangedList, Logger, Registry } from '@only1mcp/registry';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createMcpEndpoint, type McpEndpoint } from '../mcp/mcpEndpoint';
import { bodyNotJson, bodyTooLarge, getWithBody, unacceptableMedia, unexpectedFailure } from './bodyErrors';
import { jsonBody } from './jsonBody';
import { dnsRebindingCheck, dnsRebindingGuard, type HeaderCheck } from './dnsRebindingGuard';
import { mountLegacySse, type LegacySse } from './legacySse';
import { mountMetricsRoutes } from './metricsRoutes';
import { mountAdminRoutes, type AdminDeps } from './adminRoutes';
import type { SessionSummary } from '../sessionSummary';
import { Drain } from '../drain';
import { ResourceSubscriptions } from '../mcp/resourceSubscriptions';
import { createStateCodec } from '../mcp/requestState';
import { ParkedCalls } from '../mcp/parkedCalls';
import { SharedSessions } from '../mcp/sharedSessions';
import { VERSION } from '../version';
import { createSecurity, type Security } from '../security';
import { PROTECTED_RESOURCE_PATH, attachProfile } from './authGate';
import { ResultCache } from '../mcp/resultCache';
import { createRedisClient } from '@only1mcp/health';
import type { AccessControl } from '../mcp/accessControl';

/** What the app is built from. */
export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Shared-state facts for /health (Redis connectivity, where health results come from); absent on a single node. */
  sharedState?: () => Record<string, string>;
  /** Configuration reloads for the admin API. */
  admin?: Pick<AdminDeps, 'reload' | 'lastReload' | 'configFile'>;
}

/** The app and the MCP fronts (for shutdown). */
export interface GatewayApp {
  app: express.Express;
  mcp: McpEndpoint;
  sse: LegacySse;
  /** In-flight calls; shutdown drains it. */
  drain: Drain;
  /** Calls parked for a client's input; shutdown aborts them. */
  parked: ParkedCalls;
  /** The Host/Origin check every MCP front applies. */
  check: HeaderCheck;
  /** Authentication, rate limits and the audit log (reconfigured on reload). */
  security: Security;
  /** Cached tool and resource results (cleared on reload). */
  resultCache: ResultCache;
  /** Open client sessions by front transport, for metrics. */
  sessionCounts(): Record<string, number>;
  /** Open `subscriptions/listen` streams (current-protocol clients), for metrics. */
  listenStreams(): number;
  /** Open client sessions on every front, for the admin API. */
  sessions(): SessionSummary[];
  /** Tells every connected HTTP client that lists changed. */
  notifyListChanged(changed: readonly ChangedList[]): void;
  /** Delivers a backend's resource update to the clients subscribed to it. */
  resourceUpdated(uri: string): void;
  /** A replica of `serverId` connected: its resource subscriptions are asked for again. */
  replicaConnected(serverId: string, replica: number): void;
}

/** Builds the gateway's Express app. */
export function createApp({ config, registry, logger, metrics, sharedState, admin }: AppDeps): GatewayApp {
  const app = express();
  app.disable('x-powered-by');
  const drain = new Drain();
  const subscriptions = new ResourceSubscriptions(registry, logger);
  const stateCodec = createStateCodec(config.server.request_state_secret);
  const parked = new ParkedCalls(registry);
  const security = createSecurity(config, logger, metrics);
  const resultCache = new ResultCache(registry, {
    redis: config.redis ? createRedisClient(config.redis.url, logger, { name: 'gateway-cache' }) : undefined,
    keyPrefix: config.redis?.key_prefix,
    metrics,
    logger,
  });
  const { admission, gate } = security;
  const access: AccessControl = gate;
  const sharedSessions = config.redis
    ? new SharedSessions(config.redis.url, config.redis.key_prefix, config.server.session_idle_timeout, logger)
    : undefined;
  const mcp = createMcpEndpoint({
    config,
    registry,
    logger,
    metrics,
    drain,
    subscriptions,
    stateCodec,
    parked,
    sharedSessions,
    access,
    audit: security.audit,
    perServerLimit: security.perServer,
    resultCache,
    maxBodyBytes: config.server.max_body_size,
  });

  // DNS-rebinding protection: loopback names always, plus the operator's allow-list.
  const check = dnsRebindingCheck(config.server);
  const guard = dnsRebindingGuard(check);

  app.get('/health', (_req, res) => {
    const servers = registry.status();
    res.json({
      status: 'ok',
      version: VERSION,
      ...(sharedState ? { shared: sharedState() } : {}),
      servers: servers.map((s) => ({ id: s.id, up: s.up, enabled: s.enabled, replicas: s.replicas })),
    });
  });
  app.get('/ready', (_req, res) => {
    // A draining replica is not ready, so a load balancer stops sending it new clients.
    const ready = registry.ready && !drain.isDraining;
    res.status(ready ? 200 : 503).json({ ready, servers: registry.status().map((s) => ({ id: s.id, up: s.up })) });
  });

  mountMetricsRoutes(app, metrics);
  // OAuth-capable clients learn here where to log in (RFC 9728; the MCP authorization spec).
  app.get([PROTECTED_RESOURCE_PATH, `${PROTECTED_RESOURCE_PATH}/mcp`], (req, res) => {
    if (!gate.enabled)
      return void res
        .status(404)
        .json(jsonRpcError(undefined, ErrorCode.InvalidRequest, 'No authentication configured'));
    res.json(gate.metadata(req));
  });
  const sessions = (): SessionSummary[] => [...mcp.sessions(), ...sse.sessions()];
  mountAdminRoutes(app, {
    registry,
    sessions,
    gate,
    admission,
    audit: security.audit,
    metrics,
    sharedState,
    lastReload: admin?.lastReload ?? (() => undefined),
    reload: admin?.reload,
    configFile: admin?.configFile,
  });

  // While shutting down, MCP requests get 503 ShuttingDown; health and metrics still answer.
  app.use(['/mcp', '/sse', '/messages'], drain.middleware);
  // Who it is and whether it is over its limit, before any MCP work (the hot path does the same).
  app.use(['/mcp', '/sse', '/messages'], (req, res, next) => {
    if (!admission.active || (req as { admitted?: boolean }).admitted) return next();
    admission.admit(req, res).then((ok) => ok && next(), next);
  });
  // `?profile=NAME` on the MCP URL picks the client's context profile (handlers read it with the principal).
  app.use(['/mcp', '/sse', '/messages'], (req, _res, next) => {
    attachProfile(req, req.query.profile);
    next();
  });
  // HEAD of a stream endpoint would open a stream whose headers never go out.
  app.head(['/mcp', '/sse'], (_req, res) => void res.status(405).set('allow', 'GET, POST, DELETE').end());
  // A GET with a body: nothing reads it, so the socket pauses and a closed client would go unnoticed.
  app.get(['/mcp', '/sse'], (req, res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return next();
    const refusal = getWithBody();
    res.status(refusal.status).set('connection', 'close').json(refusal.body);
  });
  // Streams are held open: one client may hold only so many.
  app.get(['/mcp', '/sse'], (req, res, next) => (admission.holdStream(req, res) ? next() : undefined));
  const json = jsonBody(config.server.max_body_size);
  app.all(
    '/mcp',
    guard,
    (req, res, next) => {
      if (req.method !== 'POST') return next();
      const media = unacceptableMedia(req.headers);
      if (media) return void res.status(media.status).json(media.body);
      json(req, res, next);
    },
    (req, res, next) => {
      mcp.handle(req, res).catch(next);
    },
  );
  const sse = mountLegacySse(app, { config, registry, logger, metrics, drain, subscriptions, stateCodec, guard });

  // Body errors become JSON-RPC errors with the status the spec asks for; nothing else leaks.
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const answer =
      err.type === 'entity.too.large'
        ? bodyTooLarge(config.server.max_body_size)
        : err.type === 'entity.parse.failed'
          ? bodyNotJson()
          : undefined;
    if (answer) {
      res.status(answer.status).json(answer.body);
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      // The client's fault, found by Express or a body parser (a malformed %-escape in the path, a bad encoding).
      res.status(err.status).json(jsonRpcError(undefined, ErrorCode.InvalidRequest, `Invalid request: ${err.message}`));
    } else {
      logger.error('unexpected error', { error: err.stack ?? String(err) });
      const failure = unexpectedFailure();
      res.status(failure.status).json(failure.body);
    }
  });
  return {
    app,
    mcp,
    sse,
    drain,
    parked,
    check,
    sessionCounts: () => ({ streamable_http: mcp.sessionCount, sse: sse.sessionCount }),
    listenStreams: () => mcp.listenStreams,
    sessions,
    security,
    resultCache,
    resourceUpdated: (uri) => {
      subscriptions.updated(uri);
      mcp.notifyResourceUpdated(uri);
    },
    replicaConnected: (serverId, replica) => subscriptions.resubscribe(serverId, replica),
    notifyListChanged: (changed) => {
      mcp.notifyListChanged(changed);
      sse.notifyListChanged(changed);
    },
  };
}
