/**
 * The admin API under `/api/v1/admin/`: servers with their replicas, health, breakers, latency
 * and connections; one server's detail; enabling and disabling a server; reloading the
 * configuration; open sessions; the gateway's status; its metrics. JSON only, documented in
 * docs/API_REFERENCE.md. With `auth`, only clients holding a role with `admin: true` get in (401
 * without credentials, 403 without the role); without `auth`, loopback peers only. Every action
 * that changes something is audited.
 */
import type { ServerConfig } from '@only1mcp/config';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { Registry, ServerStatus } from '@only1mcp/registry';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ReloadReport } from '@only1mcp/runtime';
import type { SessionSummary } from '../sessionSummary';
import { VERSION } from '../version';
import { loopbackOnly, serveMetrics } from './metricsRoutes';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { AuditLog } from '../audit';
import type { Admission } from './admission';
import { principalOf, type AuthGate } from './authGate';

/** The base path of the admin API. */
export const ADMIN_BASE = '/api/v1/admin';

/** What the admin API needs from the running gateway. */
export interface AdminDeps {
  registry: Registry;
  /** Open sessions on every front. */
  sessions(): SessionSummary[];
  /** Reloads the configuration; undefined when the gateway was started without a file. */
  reload?: () => Promise<ReloadReport>;
  /** The last reload's outcome. */
  lastReload(): ReloadReport | undefined;
  /** The configuration file in use, if any. */
  configFile?: string;
  /** Redis and health-source state (with `redis` only). */
  sharedState?: () => Record<string, string>;
  /** Who may use the admin API. */
  gate: AuthGate;
  admission: Admission;
  audit?: AuditLog;
  metrics: GatewayMetrics;
}

/** One server as the admin API shows it. */
export interface ServerView extends ServerStatus {
  /** Mean of the replicas' recent answer times, ms (absent until one answered). */
  latencyMs?: number;
  /** Connections by state. */
  pool: { active: number; idle: number; pending: number };
}

const SECRET = '***';

/** A server's settings fit to show: values of `env` and `headers` (where credentials live) are masked. */
export function redactServer(server: ServerConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...server };
  for (const key of ['env', 'headers'] as const) {
    const values = (server as Record<string, unknown>)[key];
    if (values && typeof values === 'object')
      shown[key] = Object.fromEntries(Object.keys(values).map((name) => [name, SECRET]));
  }
  return shown;
}

function serverViews(registry: Registry): ServerView[] {
  const pools = new Map(registry.pools().map((p) => [p.id, p.pool]));
  return registry.status().map((s) => {
    const latencies = s.replicas.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
    return {
      ...s,
      ...(latencies.length > 0
        ? { latencyMs: Math.round((latencies.reduce((a, b) => a + b, 0) / latencies.length) * 100) / 100 }
        : {}),
      pool: pools.get(s.id) ?? { active: 0, idle: 0, pending: 0 },
    };
  });
}

const notFound = (res: Response, id: string) =>
  res.status(404).json(jsonRpcError(undefined, ErrorCode.InvalidParams, `Unknown server: ${id}`));

/** Mounts the admin API on `app`. */
export function mountAdminRoutes(app: Express, deps: AdminDeps): void {
  const router = express.Router();
  const { gate, admission } = deps;
  router.use((req, res, next) => {
    if (!gate.enabled) return loopbackOnly(req, res, next);
    void admission.admit(req, res).then((ok) => {
      if (!ok) return;
      const principal = principalOf(req);
      if (gate.isAdmin(principal)) return next();
      deps.audit?.record({
        action: `admin:${req.method} ${req.path}`,
        clientId: principal?.clientId,
        outcome: 'denied',
      });
      res.status(403).json(jsonRpcError(undefined, ErrorCode.Forbidden, 'The admin API needs a role with admin: true'));
    }, next);
  });
  // Actions that change something are audited, whoever made them.
  router.use((req, res, next) => {
    if (req.method !== 'GET')
      res.once('finish', () =>
        deps.audit?.record({
          action: `admin:${req.method} ${req.path}`,
          clientId: principalOf(req)?.clientId,
          outcome: res.statusCode < 400 ? 'ok' : `http_${res.statusCode}`,
        }),
      );
    next();
  });
  const started = Date.now();
  const { registry } = deps;
  const wrap =
    (handler: (req: Request, res: Response) => unknown) => (req: Request, res: Response, next: NextFunction) =>
      void Promise.resolve(handler(req, res)).catch(next);

  router.get(
    '/status',
    wrap((_req, res) => {
      const servers = registry.status();
      const sessions = deps.sessions();
      res.json({
        version: VERSION,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        configFile: deps.configFile ?? null,
        ready: registry.ready,
        servers: { total: servers.length, up: servers.filter((s) => s.up).length },
        sessions: {
          streamable_http: sessions.filter((s) => s.transport === 'streamable_http').length,
          sse: sessions.filter((s) => s.transport === 'sse').length,
        },
        ...(deps.sharedState ? { shared: deps.sharedState() } : {}),
        lastReload: deps.lastReload() ?? null,
      });
    }),
  );
  router.get(
    '/servers',
    wrap((_req, res) => res.json({ servers: serverViews(registry) })),
  );
  router.get(
    '/servers/:id',
    wrap((req, res) => {
      const id = String(req.params.id);
      const view = serverViews(registry).find((s) => s.id === id);
      const settings = registry.serverSettings(id);
      if (!view || !settings) return notFound(res, id);
      const catalog = registry.catalog;
      const owned = (owners: Map<string, { serverId: string }>) =>
        [...owners].filter(([, owner]) => owner.serverId === id).map(([name]) => name);
      res.json({
        ...view,
        settings: redactServer(settings),
        tools: owned(catalog.toolOwners),
        prompts: owned(catalog.promptOwners),
        resources: [...catalog.resourceOwners].filter(([, owner]) => owner === id).map(([uri]) => uri),
      });
    }),
  );
  for (const action of ['enable', 'disable'] as const) {
    router.post(
      `/servers/:id/${action}`,
      wrap(async (req, res) => {
        const id = String(req.params.id);
        if (!registry.settings.servers.some((s) => s.id === id)) return notFound(res, id);
        const summary = await registry.setEnabled(id, action === 'enable');
        res.json({ server: serverViews(registry).find((s) => s.id === id), summary });
      }),
    );
  }
  router.post(
    '/reload',
    wrap(async (_req, res) => {
      if (!deps.reload)
        return res
          .status(409)
          .json(
            jsonRpcError(undefined, ErrorCode.InvalidRequest, 'This gateway was started without a configuration file'),
          );
      const report = await deps.reload();
      res.status(report.ok ? 200 : 422).json(report);
    }),
  );
  router.get(
    '/reload',
    wrap((_req, res) => res.json({ lastReload: deps.lastReload() ?? null })),
  );
  router.get(
    '/sessions',
    wrap((_req, res) => res.json({ sessions: deps.sessions() })),
  );
  router.get(
    '/metrics',
    wrap((_req, res) => serveMetrics(deps.metrics, res)),
  );
  app.use(ADMIN_BASE, router);
}
