/**
 * The cluster's redis-server, in its own process group like every other member (test-utils'
 * startRedis shares the terminal's group, so a Ctrl-C would end Redis before the gateways drain).
 */
import { join } from 'node:path';
import { redisReady, redisServerArgs } from '@only1mcp/test-utils';
import { findBinary } from './findBinary';
import { startManagedProcess, type ManagedProcess } from './managedProcess';
import { startOneOnFreePort } from './readiness';

/** The variable that names another redis-server binary (as for the tests). */
const REDIS_BINARY_ENV = 'REDIS_SERVER_BIN';

/** A running redis-server. */
export interface RedisProcess {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly proc: ManagedProcess;
}

/** Starts redis-server on a free loopback port, nothing persisted; resolves once it says it is ready and answers PING. */
export async function startRedisProcess(workDir: string, env: NodeJS.ProcessEnv): Promise<RedisProcess> {
  const binary = env[REDIS_BINARY_ENV] || findBinary('redis-server');
  if (!binary) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const { proc, port } = await startOneOnFreePort((port) => {
    const proc = startManagedProcess({
      name: 'redis',
      command: binary,
      args: redisServerArgs(port),
      env,
      logFile: join(workDir, 'redis.log'),
    });
    return { proc, what: 'answering PING', check: () => redisReady(port, proc.logTail()) };
  });
  return { url: `redis://127.0.0.1:${port}`, proc };
}
