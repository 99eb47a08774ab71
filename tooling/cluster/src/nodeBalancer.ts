/**
 * The balancer when HAProxy is not installed: a reverse proxy on node:http with what the compose
 * file's HAProxy does (round robin, `GET /ready` health checks, long-lived SSE, legacy SSE kept
 * on one replica). It runs inside the cluster's own process.
 */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Balancer, BalancerOptions } from './balancer';
import { LegacySseAffinity } from './legacySseAffinity';
import { proxyRequest } from './proxyRequest';
import { UpstreamPool } from './upstreamPool';

/** Starts the Node balancer on 127.0.0.1; resolves once every replica has been checked once and it listens. */
export async function startNodeBalancer(options: BalancerOptions): Promise<Balancer> {
  const pool = new UpstreamPool({ upstreams: options.upstreams, checkIntervalMs: options.checkIntervalMs });
  const context = { pool, affinity: new LegacySseAffinity(), agent: new Agent({ keepAlive: true }) };
  const server = createServer((req, res) => void proxyRequest(req, res, context));
  // A malformed request or a socket reset by the client: drop that connection, nothing else.
  server.on('clientError', (_err, socket) => socket.destroy());
  await pool.start();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    pool.stop();
    throw new Error(`the Node balancer cannot listen on 127.0.0.1:${options.port}: ${(err as Error).message}`);
  }
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    kind: 'node',
    url: `http://127.0.0.1:${port}`,
    healthyUpstreams: () => Promise.resolve(pool.healthyNames()),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        pool.stop();
        server.close(() => resolve());
        // Open SSE streams would keep close() waiting forever.
        server.closeAllConnections();
        context.agent.destroy();
      });
      return stopped;
    },
  };
}
