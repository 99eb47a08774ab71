/**
 * Starts and stops a whole gateway: registry, app, listening socket, and graceful shutdown.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type Config, type LoadConfigOptions } from '@only1mcp/config';
import { GatewayMetrics, MetricsRegistry, type MetricsStateSource } from '@only1mcp/metrics';
import { Registry, type Logger } from '@only1mcp/registry';
import {
  ConfigReloader,
  restartRequired,
  type ApplyConfig,
  type ReloadReport,
  type ReloadTrigger,
} from '@only1mcp/runtime';
import { createApp, type GatewayApp } from './http/createApp';
import { withHotPath } from './http/hotPath';
import { startEmbeddedHealth } from './embeddedHealth';
import { startSharedHealth, type SharedHealth } from './sharedHealth';

/** A running gateway. */
export interface RunningGateway {
  /** The base URL it listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  registry: Registry;
  metrics: GatewayMetrics;
  /**
   * Re-reads the configuration file and applies it (see ConfigReloader); a failure is a report
   * with `ok: false`, the running configuration unchanged. Undefined without a configuration file.
   */
  reload?: (trigger?: ReloadTrigger) => Promise<ReloadReport>;
  /** Stops accepting, waits for in-flight requests (up to shutdown_timeout), closes backends. */
  stop(): Promise<void>;
}

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** The file `config` was read from: enables reloads (admin API, SIGHUP through the CLI). */
  configFile?: string;
  /** The overrides `config` was loaded with (e.g. `start --port`), applied again on every reload. */
  configOverrides?: LoadConfigOptions['overrides'];
  /** Reload when the file changes (default true when `configFile` is given). */
  watchConfig?: boolean;
}

const BREAKER_SEVERITY = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Backend health as the metrics report it: up or not, the worst breaker among its replicas, its connections. */
function serverHealth(registry: Registry): ReturnType<MetricsStateSource['servers']> {
  const pools = new Map(registry.pools().map((p) => [p.id, p.pool]));
  return registry.status().map((s) => ({
    id: s.id,
    healthy: s.up,
    pool: pools.get(s.id),
    breaker: s.replicas.reduce<keyof typeof BREAKER_SEVERITY>(
      (worst, r) => (BREAKER_SEVERITY[r.breaker] > BREAKER_SEVERITY[worst] ? r.breaker : worst),
      'closed',
    ),
  }));
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Refuses to serve a non-loopback address without `auth`, unless `server.allow_unauthenticated`
 * says the network is trusted: a team gateway holds the keys to every backend.
 */
export function refuseUnprotected(config: Config): void {
  if (config.auth || config.server.allow_unauthenticated || isLoopbackHost(config.server.host)) return;
  throw new ConfigError(
    `refusing to serve ${config.server.host} without authentication: configure auth (API keys or JWT), ` +
      'bind to 127.0.0.1, or set server.allow_unauthenticated: true on a trusted network',
  );
}

/** Says plainly why the gateway could not listen. */
function listenFailure(err: NodeJS.ErrnoException, { host, port }: Config['server']): Error {
  const where = `${host}:${port}`;
  if (err.code === 'EADDRINUSE')
    return new Error(
      `cannot listen on ${where}: the port is in use (stop the other process, or use --port / server.port)`,
      { cause: err },
    );
  if (err.code === 'EACCES')
    return new Error(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, { cause: err });
  if (err.code === 'EADDRNOTAVAIL')
    return new Error(`cannot listen on ${where}: no such address on this machine (check --host / server.host)`, {
      cause: err,
    });
  return new Error(`cannot listen on ${where}: ${err.message}`, { cause: err });
}

/** Starts a gateway for `config` and resolves once it listens. */
export async function startGateway(
  config: Config,
  logger: Logger,
  options: StartGatewayOptions = {},
): Promise<RunningGateway> {
  refuseUnprotected(config);
  // The gauges read sessions and backend health at scrape time, through these late-bound references.
  const live: { app?: GatewayApp; registry?: Registry; shared?: SharedHealth; reloader?: ConfigReloader } = {};
  const metrics = new GatewayMetrics({
    registry: new MetricsRegistry(),
    state: {
      sessions: () => live.app?.sessionCounts() ?? {},
      listenStreams: () => live.app?.listenStreams() ?? 0,
      servers: () => (live.registry ? serverHealth(live.registry) : []),
      ...(config.redis ? { redisConnected: () => live.shared?.redisConnected() ?? false } : {}),
    },
  });
  const registry = (live.registry = new Registry(config, {
    logger,
    onBackendRequest: (id, ok, seconds) => metrics.observeBackendRequest(id, ok, seconds),
    onCatalogChanged: (changed) => live.app?.notifyListChanged(changed),
    onResourceUpdated: (uri) => live.app?.resourceUpdated(uri),
    onReplicaConnected: (serverId, replica) => live.app?.replicaConnected(serverId, replica),
    // A shared connection's log messages cannot be attributed to one client: they stay in our log.
    onLog: (server, { level, logger: source, data }) =>
      logger.debug('backend log message', { server, backendLevel: level, source, data }),
  }));
  await registry.start();
  // With Redis, the health-worker's shared results (and own checks while they are stale); without, own checks.
  const startHealth = async (settings: Config) =>
    settings.redis
      ? (live.shared = await startSharedHealth(settings, registry, logger, metrics.healthChecks))
      : startEmbeddedHealth(settings, registry, logger, metrics.healthChecks);
  let health = await startHealth(config);

  // A reload applies servers, routing, health and the log level; the rest waits for a restart.
  const apply: ApplyConfig = async (next) => {
    // Checked before anything changes: a reload must not open an unauthenticated door.
    refuseUnprotected({ ...next, server: config.server });
    live.app?.security.reconfigure(next);
    const servers = await registry.reconfigure(next);
    // What backends answer, and what is cacheable, may have changed.
    await live.app?.resultCache.clear();
    if ('level' in logger) (logger as { level: string }).level = next.logging.level;
    // The checkers probe the servers of the configuration they started with.
    await health.stop();
    health = await startHealth({ ...next, redis: config.redis });
    return { servers, restartRequired: restartRequired(config, next) };
  };
  if (options.configFile) {
    live.reloader = new ConfigReloader({
      file: options.configFile,
      overrides: options.configOverrides,
      apply,
      logger,
      onReport: (report) => metrics.observeReload(report.ok),
    });
  }
  const gatewayApp = (live.app = createApp({
    config,
    registry,
    logger,
    metrics,
    // What /health says about shared state (only with Redis).
    sharedState: config.redis
      ? () => ({
          redis: live.shared?.redisConnected() ? 'connected' : 'unreachable',
          health_source: live.shared?.fallingBack ? 'own checks' : 'health-worker',
        })
      : undefined,
    admin: {
      reload: live.reloader ? () => live.reloader!.reload('admin') : undefined,
      lastReload: () => live.reloader?.last,
      configFile: live.reloader?.file,
    },
  }));
  const { app, mcp, sse, drain, check, security } = gatewayApp;
  await mcp.ready;
  // Slow clients (slowloris): headers, then the whole request, must arrive in time; responses
  // (streams) are not limited. Node checks these on an interval, 30 s unless told otherwise.
  const { headers_timeout, request_timeout } = config.server;
  const server = createServer(
    {
      requestTimeout: request_timeout,
      headersTimeout: Math.min(headers_timeout, request_timeout),
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, headers_timeout / 2)),
    },
    withHotPath(
      { mcp, sse, drain, check, maxBodyBytes: config.server.max_body_size, admission: security.admission },
      app,
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // The backends are already running: stop them, or their processes would keep this one alive.
    gatewayApp.parked.close();
    await health?.stop();
    await Promise.all([gatewayApp.mcp.close(), gatewayApp.sse.close(), registry.stop()]);
    throw listenFailure(err as NodeJS.ErrnoException, config.server);
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info('gateway listening', { url, servers: config.servers.length });
  if (live.reloader && options.watchConfig !== false) live.reloader.watch();

  let stopping: Promise<void> | undefined;
  return {
    url,
    registry,
    metrics,
    reload: live.reloader ? (trigger = 'admin') => live.reloader!.reload(trigger) : undefined,
    stop() {
      stopping ??= (async () => {
        live.reloader?.close();
        // 1. Stop accepting: no new connections; requests on open ones get 503 ShuttingDown.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // 2. Let calls in flight finish, on every front, for up to shutdown_timeout.
        await drain.start(config.server.shutdown_timeout);
        // 3. End sessions and their streams (SSE streams never end on their own), then the sockets.
        gatewayApp.parked.close();
        await Promise.all([mcp.close(), sse.close()]);
        server.closeAllConnections();
        await closed;
        // 4. Close backends, ending every stdio child process.
        await health?.stop();
        await registry.stop();
        await security.close();
        await gatewayApp.resultCache.close();
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
