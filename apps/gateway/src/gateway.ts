/**
 * Starts and stops a whole gateway: registry, app, listening socket, and graceful shutdown.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@only1mcp/config';
import { GatewayMetrics, MetricsRegistry, type MetricsStateSource } from '@only1mcp/metrics';
import { Registry, type Logger } from '@only1mcp/registry';
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
  /** Stops accepting, waits for in-flight requests (up to shutdown_timeout), closes backends. */
  stop(): Promise<void>;
}

const BREAKER_SEVERITY = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Backend health as the metrics report it: up or not, and the worst breaker among its replicas. */
function serverHealth(registry: Registry): ReturnType<MetricsStateSource['servers']> {
  return registry.status().map((s) => ({
    id: s.id,
    healthy: s.up,
    breaker: s.replicas.reduce<keyof typeof BREAKER_SEVERITY>(
      (worst, r) => (BREAKER_SEVERITY[r.breaker] > BREAKER_SEVERITY[worst] ? r.breaker : worst),
      'closed',
    ),
  }));
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
export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  // The gauges read sessions and backend health at scrape time, through these late-bound references.
  const live: { app?: GatewayApp; registry?: Registry; shared?: SharedHealth } = {};
  const metrics = new GatewayMetrics({
    registry: new MetricsRegistry(),
    state: {
      sessions: () => live.app?.sessionCounts() ?? {},
      servers: () => (live.registry ? serverHealth(live.registry) : []),
      ...(config.redis ? { redisConnected: () => live.shared?.redisConnected() ?? false } : {}),
    },
  });
  const registry = (live.registry = new Registry(config, {
    logger,
    onBackendRequest: (id, ok) => metrics.observeBackendRequest(id, ok),
    onCatalogChanged: (changed) => live.app?.notifyListChanged(changed),
    onResourceUpdated: (uri) => live.app?.resourceUpdated(uri),
    // A shared connection's log messages cannot be attributed to one client: they stay in our log.
    onLog: (server, { level, logger: source, data }) =>
      logger.debug('backend log message', { server, backendLevel: level, source, data }),
  }));
  await registry.start();
  // With Redis, the health-worker's shared results (and own checks while they are stale); without, own checks.
  const health = config.redis
    ? (live.shared = await startSharedHealth(config, registry, logger))
    : startEmbeddedHealth(config, registry, logger);
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
  }));
  const { app, mcp, sse, drain, check } = gatewayApp;
  await mcp.ready;
  const server = createServer(withHotPath({ mcp, drain, check, maxBodyBytes: config.server.max_body_size }, app));
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

  let stopping: Promise<void> | undefined;
  return {
    url,
    registry,
    metrics,
    stop() {
      stopping ??= (async () => {
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
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
