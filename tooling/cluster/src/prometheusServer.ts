/** Prometheus (Debian's `prometheus` binary) as one of the cluster's processes, with its data in the work directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary } from './findBinary';
import { startManagedProcess } from './managedProcess';
import { prometheusConfig, type PrometheusTargets } from './prometheusConfig';
import { answersOk, startOneOnFreePort } from './readiness';

/** A running Prometheus. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`: the UI, and the HTTP API under /api/v1. */
  readonly url: string;
  readonly pid: number;
  /** Its output. */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Options for {@link startPrometheus}. */
export interface PrometheusOptions {
  targets: PrometheusTargets;
  /** Where its configuration, data and log go. */
  workDir: string;
  env: NodeJS.ProcessEnv;
}

/** Starts Prometheus on a free loopback port; resolves once it reports ready. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const binary = findBinary('prometheus');
  if (!binary) throw new Error('prometheus is not installed (apt-get install prometheus)');
  const configFile = join(options.workDir, 'prometheus.yml');
  const dataDir = join(options.workDir, 'prometheus-data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(configFile, prometheusConfig(options.targets));
  const { proc, port } = await startOneOnFreePort((port) => ({
    proc: startManagedProcess({
      name: 'prometheus',
      command: binary,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      env: options.env,
      logFile: join(options.workDir, 'prometheus.log'),
    }),
    what: 'ready',
    check: () => answersOk(`http://127.0.0.1:${port}/-/ready`),
  }));
  const url = `http://127.0.0.1:${port}`;
  return { url, pid: proc.pid, logFile: proc.logFile, stop: () => proc.stop() };
}
