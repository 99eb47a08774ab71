/**
 * Starts and stops a whole gateway: registry, app, listening socket, and graceful shutdown.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@only1mcp/config';
import { Registry, type Logger } from '@only1mcp/registry';
import { createApp } from './http/createApp';

/** A running gateway. */
export interface RunningGateway {
  /** The base URL it listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  registry: Registry;
  /** Stops accepting, waits for in-flight requests (up to shutdown_timeout), closes backends. */
  stop(): Promise<void>;
}

/** Starts a gateway for `config` and resolves once it listens. */
export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const registry = new Registry(config, { logger });
  await registry.start();
  const { app, mcp } = createApp({ config, registry, logger });
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
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, config.server.shutdown_timeout).unref());
        await mcp.close();
        await Promise.race([closed, deadline]);
        server.closeAllConnections();
        await registry.stop();
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
