/**
 * docker-compose.yml's topology from local processes: redis-server, N gateway replicas (the real
 * `only1mcp start`), the health-worker, a load balancer in front of the gateways and optionally
 * Prometheus, all on loopback ports. A step that fails stops everything started before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@only1mcp/config';
import { waitFor } from '@only1mcp/test-utils';
import { startBalancer, type BalancerChoice, type BalancerKind } from './balancer';
import {
  CLUSTER_ENV,
  DEFAULT_CLUSTER_CONFIG,
  everythingServerPath,
  gatewayCliPath,
  healthWorkerCliPath,
} from './clusterPaths';
import { GATEWAY_PATHS } from './gatewayPaths';
import { startManagedProcess, type ManagedProcess } from './managedProcess';
import { ensurePortFree } from './portCheck';
import { startPrometheus } from './prometheusServer';
import { answersOk, startOnFreePort } from './readiness';
import { startRedisProcess } from './redisProcess';

/** Options for {@link startCluster}. */
export interface ClusterOptions {
  /** Gateway replicas (default 2). */
  gateways?: number;
  /** Configuration of the gateways and the worker (default cluster.yaml); it must configure `redis` (`url: ${REDIS_URL}`). */
  configFile?: string;
  /** The balancer's port on 127.0.0.1 (default 8080; 0: a free one). */
  port?: number;
  /** Also run Prometheus, scraping every gateway and the worker. */
  prometheus?: boolean;
  /** Which balancer (default `auto`: HAProxy when installed, else the Node one). */
  balancer?: BalancerChoice;
  /** Time between the balancer's health checks of each gateway (default 1 s). */
  checkIntervalMs?: number;
  /** Extra environment variables for every process the cluster starts. */
  env?: Record<string, string>;
}

/** What a cluster runs, one row of its table. */
export interface ClusterMember {
  role: 'redis' | 'gateway' | 'health-worker' | 'balancer' | 'prometheus';
  name: string;
  /** Where it answers (Redis: `redis://…`; the worker: its /metrics). */
  url: string;
  /** Absent for the Node balancer, which runs inside the cluster's process. */
  pid?: number;
  /** Its output, while the cluster runs. */
  logFile?: string;
}

/** A running cluster. */
export interface RunningCluster {
  /** Where clients connect: `http://127.0.0.1:<port>` (MCP at /mcp, legacy SSE at /sse). */
  balancerUrl: string;
  balancer: BalancerKind;
  /** Every gateway replica, reachable directly. */
  gateways: { name: string; url: string; pid: number }[];
  /** The health-worker's `/metrics`. */
  workerMetricsUrl: string;
  redisUrl: string;
  prometheusUrl?: string;
  /** The configuration every gateway and the worker run with. */
  configFile: string;
  /** Generated configurations, logs and Prometheus data; removed by stop(). */
  workDir: string;
  /** Everything that runs, for the table. */
  members: ClusterMember[];
  /** Names of the gateways the balancer currently sends traffic to. */
  healthyGateways(): Promise<string[]>;
  /** Stops everything (balancer first, Redis last) and removes the work directory. */
  stop(): Promise<void>;
}

const DEFAULT_GATEWAYS = 2;
const DEFAULT_PORT = 8080;
const DEFAULT_CHECK_INTERVAL_MS = 1_000;
/** Every gateway answered /ready already; the balancer only has to run its own first checks. */
const BALANCER_SEES_ALL_MS = 15_000;

/** Refuses a configuration the replicas could not share sessions with, before anything starts. */
function checkConfig(configFile: string, env: NodeJS.ProcessEnv): void {
  const { config, file } = loadConfig({ path: configFile, env });
  if (!config.redis)
    throw new Error(`${file} has no redis section: replicas could not share sessions (add redis.url: \${REDIS_URL})`);
}

/** Starts one gateway replica on a free port and waits until it answers /ready. */
async function startGatewayProcess(
  name: string,
  configFile: string,
  env: NodeJS.ProcessEnv,
  workDir: string,
  track: (proc: ManagedProcess) => void,
) {
  const { proc, port } = await startOnFreePort(
    (port) => ({
      proc: startManagedProcess({
        name,
        command: process.execPath,
        args: [gatewayCliPath(), 'start', '--config', configFile, '--host', '127.0.0.1', '--port', String(port)],
        env,
        logFile: join(workDir, `${name}.log`),
      }),
      what: 'ready',
      check: () => answersOk(`http://127.0.0.1:${port}${GATEWAY_PATHS.ready}`),
    }),
    track,
  );
  return { name, url: `http://127.0.0.1:${port}`, pid: proc.pid, logFile: proc.logFile };
}

/** Starts the health-worker with its /metrics on a free port and waits until that answers. */
async function startWorkerProcess(
  configFile: string,
  env: NodeJS.ProcessEnv,
  workDir: string,
  track: (proc: ManagedProcess) => void,
) {
  const metricsUrl = (port: number) => `http://127.0.0.1:${port}${GATEWAY_PATHS.metrics}`;
  const { proc, port } = await startOnFreePort(
    (port) => ({
      proc: startManagedProcess({
        name: 'health-worker',
        command: process.execPath,
        args: [
          healthWorkerCliPath(),
          '--config',
          configFile,
          '--metrics-host',
          '127.0.0.1',
          '--metrics-port',
          String(port),
        ],
        env,
        logFile: join(workDir, 'health-worker.log'),
      }),
      what: 'serving metrics',
      check: () => answersOk(metricsUrl(port)),
    }),
    track,
  );
  return { url: metricsUrl(port), pid: proc.pid, logFile: proc.logFile };
}

/** Starts the cluster; resolves once every part answers and the balancer sees every gateway. */
export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const count = options.gateways ?? DEFAULT_GATEWAYS;
  if (!Number.isInteger(count) || count < 1) throw new Error(`gateways must be a whole number ≥ 1, not ${count}`);
  const configFile = resolve(options.configFile ?? DEFAULT_CLUSTER_CONFIG);
  const port = options.port ?? DEFAULT_PORT;
  if (port !== 0) await ensurePortFree(port);
  const workDir = mkdtempSync(join(tmpdir(), 'only1mcp-cluster-'));
  const stoppers: (() => Promise<void>)[] = [];
  const members: ClusterMember[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    })());

  try {
    // As deployed: pnpm's scripts set NODE_PATH to its store, where an app finds packages it does
    // not depend on; a deployed app has only its own dependencies (see tooling/bundle).
    const { NODE_PATH: _storePath, ...inherited } = process.env;
    const baseEnv: NodeJS.ProcessEnv = { ...inherited, ...options.env };
    const redis = await startRedisProcess(workDir, baseEnv);
    stoppers.push(() => redis.proc.stop());
    members.push({ role: 'redis', name: 'redis', url: redis.url, pid: redis.proc.pid, logFile: redis.proc.logFile });
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      [CLUSTER_ENV.redisUrl]: redis.url,
      [CLUSTER_ENV.node]: process.execPath,
      [CLUSTER_ENV.everything]: everythingServerPath(),
    };
    checkConfig(configFile, env);

    // Every gateway and worker process, tracked as it is spawned so a failed start stops it too.
    const processes: ManagedProcess[] = [];
    const track = (proc: ManagedProcess) => {
      processes.push(proc);
      // A replica retrying on another port while a failed start is being cleaned up.
      if (stopped) void proc.stop();
    };
    stoppers.push(() => Promise.all(processes.map((proc) => proc.stop())).then(() => undefined));
    // Like compose, the worker needs only Redis: it starts alongside the gateways.
    const [worker, ...gateways] = await Promise.all([
      startWorkerProcess(configFile, env, workDir, track),
      ...Array.from({ length: count }, (_, i) =>
        startGatewayProcess(`gateway-${i + 1}`, configFile, env, workDir, track),
      ),
    ]);
    for (const g of gateways) members.push({ role: 'gateway', ...g });
    members.push({ role: 'health-worker', name: 'health-worker', ...worker });
    const workerMetricsUrl = worker.url;

    const balancer = await startBalancer(options.balancer ?? 'auto', {
      port,
      upstreams: gateways,
      checkIntervalMs: options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
      workDir,
      env,
    });
    stoppers.push(() => balancer.stop());
    await waitFor(
      'the balancer to see every gateway',
      async () => (await balancer.healthyUpstreams()).length === gateways.length,
      BALANCER_SEES_ALL_MS,
    );
    members.push({
      role: 'balancer',
      name: balancer.kind,
      url: balancer.url,
      pid: balancer.pid,
      logFile: balancer.logFile,
    });
    if (balancer.statsUrl) members.push({ role: 'balancer', name: `${balancer.kind} stats`, url: balancer.statsUrl });

    let prometheusUrl: string | undefined;
    if (options.prometheus) {
      const host = (url: string) => new URL(url).host;
      const prometheus = await startPrometheus({
        targets: { gateways: gateways.map((g) => host(g.url)), healthWorker: host(workerMetricsUrl) },
        workDir,
        env,
      });
      stoppers.push(() => prometheus.stop());
      prometheusUrl = prometheus.url;
      members.push({
        role: 'prometheus',
        name: 'prometheus',
        url: prometheus.url,
        pid: prometheus.pid,
        logFile: prometheus.logFile,
      });
    }

    return {
      balancerUrl: balancer.url,
      balancer: balancer.kind,
      gateways,
      workerMetricsUrl,
      redisUrl: redis.url,
      prometheusUrl,
      configFile,
      workDir,
      members,
      healthyGateways: () => balancer.healthyUpstreams(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
