/** The balancer as an HAProxy process with a generated configuration. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@only1mcp/test-utils';
import type { Balancer, BalancerOptions } from './balancer';
import { findBinary } from './findBinary';
import { HAPROXY_BACKENDS, HAPROXY_STATS_PATH, haproxyConfig, upServers } from './haproxyConfig';
import { startManagedProcess } from './managedProcess';
import { answersOk, startOneOnFreePort } from './readiness';

/** Starts HAProxy in front of the replicas; resolves once it listens. */
export async function startHaproxyBalancer(options: BalancerOptions): Promise<Balancer> {
  const binary = findBinary('haproxy');
  if (!binary) throw new Error('haproxy is not installed (apt-get install haproxy), choose the Node balancer');
  const configFile = join(options.workDir, 'haproxy.cfg');
  let port = options.port;
  const { proc, port: statsPort } = await startOneOnFreePort(async (statsPort) => {
    if (options.port === 0) port = await freePort();
    const { upstreams, checkIntervalMs } = options;
    writeFileSync(configFile, haproxyConfig({ port, statsPort, upstreams, checkIntervalMs }));
    // -db: stay in the foreground, so the cluster owns the process and SIGTERM stops it.
    return {
      proc: startManagedProcess({
        name: 'haproxy',
        command: binary,
        args: ['-db', '-f', configFile],
        env: options.env,
        logFile: join(options.workDir, 'haproxy.log'),
      }),
      // Every bind is done once the statistics page answers.
      what: 'serving its statistics page',
      check: () => answersOk(`http://127.0.0.1:${statsPort}${HAPROXY_STATS_PATH}`),
    };
  });
  const statsUrl = `http://127.0.0.1:${statsPort}${HAPROXY_STATS_PATH}`;
  return {
    kind: 'haproxy',
    url: `http://127.0.0.1:${port}`,
    statsUrl,
    pid: proc.pid,
    logFile: proc.logFile,
    async healthyUpstreams() {
      const res = await fetch(`${statsUrl};csv`);
      return upServers(await res.text(), HAPROXY_BACKENDS.gateways);
    },
    stop: () => proc.stop(),
  };
}
