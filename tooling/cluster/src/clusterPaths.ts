/**
 * Where the programs a cluster runs live. Found through module resolution rather than paths
 * relative to the working directory, so `pnpm cluster` works from anywhere in the checkout.
 */
import { join } from 'node:path';
import { appBin } from '@only1mcp/test-utils';

/** The default configuration: the `everything` backend, Redis from `${REDIS_URL}`, a short health interval. */
export const DEFAULT_CLUSTER_CONFIG = join(__dirname, '..', 'cluster.yaml');

/** Environment variables a cluster sets for every process it starts (and its config may use). */
export const CLUSTER_ENV = {
  /** `redis://127.0.0.1:<port>` of the cluster's redis-server. */
  redisUrl: 'REDIS_URL',
  /** This Node binary, so stdio backends run on the same Node as the cluster. */
  node: 'CLUSTER_NODE',
  /** The entry point of `@modelcontextprotocol/server-everything`. */
  everything: 'CLUSTER_EVERYTHING',
} as const;

/** The built `only1mcp` command. */
export function gatewayCliPath(): string {
  return appBin('@only1mcp/gateway');
}

/** The built `only1mcp-health-worker` command. */
export function healthWorkerCliPath(): string {
  return appBin('@only1mcp/health-worker');
}

/** The entry point of the reference server `mcp-server-everything` (run it with `node <path> stdio`). */
export function everythingServerPath(): string {
  return require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
}
