#!/usr/bin/env node
/**
 * `only1mcp-cluster` (`pnpm cluster` at the root): docker-compose.yml's topology from local
 * processes, for machines without Docker. Prints what runs where and stops everything on
 * SIGINT/SIGTERM.
 */
import { Command, InvalidArgumentError } from 'commander';
import { BALANCER_KINDS, type BalancerChoice } from './balancer';
import { formatClusterTable } from './clusterTable';
import { startCluster } from './startCluster';

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function balancerChoice(value: string): BalancerChoice {
  const choices: readonly string[] = ['auto', ...BALANCER_KINDS];
  if (!choices.includes(value)) throw new InvalidArgumentError(`must be one of ${choices.join(', ')}`);
  return value as BalancerChoice;
}

interface CliOptions {
  gateways: number;
  config?: string;
  port: number;
  prometheus?: boolean;
  balancer: BalancerChoice;
}

const program = new Command('only1mcp-cluster')
  .description('Runs Redis, N gateway replicas, the health-worker and a load balancer (optionally Prometheus) locally.')
  .option('-n, --gateways <n>', 'gateway replicas', wholeNumber(1, 32), 2)
  .option('-c, --config <file>', 'configuration of the gateways and the worker (default tooling/cluster/cluster.yaml)')
  .option('-p, --port <port>', 'load balancer port on 127.0.0.1 (0: a free one)', wholeNumber(0, 65535), 8080)
  .option('--prometheus', 'also run Prometheus (needs the prometheus binary), scraping every gateway and the worker')
  .option('--balancer <kind>', 'auto (HAProxy when installed), haproxy or node', balancerChoice, 'auto')
  .action(async (options: CliOptions) => {
    const starting = startCluster({
      gateways: options.gateways,
      configFile: options.config,
      port: options.port,
      prometheus: options.prometheus,
      balancer: options.balancer,
    }).catch((err: unknown) => {
      // Everything started is stopped already; only the reason is left to tell.
      process.stderr.write(`only1mcp-cluster: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
      return undefined;
    });
    let stopping = false;
    // A signal during start-up waits for the start (or its clean-up) to finish, then stops; a
    // second Ctrl-C must not kill the cluster's process before its children are stopped.
    const stop = () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write('only1mcp-cluster: stopping\n');
      void starting.then((cluster) => cluster?.stop()).then(() => process.exit());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.stderr.write(`only1mcp-cluster: starting ${options.gateways} gateway replica(s)\n`);
    const cluster = await starting;
    if (!cluster) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    } else if (!stopping) {
      process.stdout.write(`${formatClusterTable(cluster)}\n\nCtrl-C stops everything.\n`);
    }
  });

void program.parseAsync(process.argv);
