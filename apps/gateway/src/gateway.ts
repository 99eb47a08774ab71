/**
 * Starts and stops a whole gateway: registry, app, listening socket, and graceful shutdown.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@only1mcp/config';
import { GatewayMetrics, MetricsRegistry, type MetricsStateSource } from '@only1mcp/metrics';
import { Registry, type Logger } from '@only1mcp/registry';
import { createApp, type GatewayApp } from './http/createApp';

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
    breaker: s.replicas.reduce<keyof typeof BREAKER_SEVERITY>((worst, r) => (BREAKER_SEVERITY[r.breaker] > BREAKER_SEVERITY[worst] ? r.breaker : worst), 'closed'),
  }));
}

/** Starts a gateway for `config` and resolves once it listens. */
export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const registry = new Registry(config, { logger });
  await registry.start();
  // The gauges read the app's sessions at scrape time, through this late-bound reference.
  const apps: { current?: GatewayApp } = {};
  const metrics = new GatewayMetrics({
    registry: new MetricsRegistry(),
    state: { sessions: () => apps.current?.sessionCounts() ?? {}, servers: () => serverHealth(registry) },
  });
  const gatewayApp = (apps.current = createApp({ config, registry, logger, metrics }));
  const { app, mcp, sse, drain } = gatewayApp;
  const server: HttpServer = await new Promise((resolve, reject) => {
    const s = app.listen(config.server.port, config.server.host, () => resolve(s));
    s.once('error', reject);
  });
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
        await Promise.all([mcp.close(), sse.close()]);
        server.closeAllConnections();
        await closed;
        // 4. Close backends, ending every stdio child process.
        await registry.stop();
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
