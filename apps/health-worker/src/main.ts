#!/usr/bin/env node
/**
 * `only1mcp-health-worker --config FILE [--metrics-host H] [--metrics-port P]` (or
 * `pnpm health-worker …` at the root): runs the health-worker until SIGINT/SIGTERM, serving
 * `GET /metrics` on 127.0.0.1:9464 by default (`--metrics-port 0` turns it off). Logs go to
 * stderr, as JSON by default.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '@only1mcp/config';
import { createLogger, reportError, secretsOf, tendOwnHeap } from '@only1mcp/runtime';
import { startHealthWorker } from './healthWorker';

/** The conventional port of a Prometheus exporter. */
const DEFAULT_METRICS_PORT = 9464;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a whole number from 0 to 65535');
  return port;
}

const program = new Command('only1mcp-health-worker')
  .description('Probes every backend replica and publishes their health to Redis for the gateway replicas.')
  .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
  .option('--metrics-host <host>', 'where GET /metrics listens', '127.0.0.1')
  .option('--metrics-port <port>', 'port of GET /metrics (0: no metrics)', parsePort, DEFAULT_METRICS_PORT)
  .action(async (options: { config?: string; metricsHost: string; metricsPort: number }) => {
    try {
      const { config, file } = loadConfig({ path: options.config });
      const logger = createLogger(
        config.logging,
        secretsOf(() => config),
      );
      const metrics = options.metricsPort === 0 ? undefined : { host: options.metricsHost, port: options.metricsPort };
      const worker = await startHealthWorker(config, logger, { metrics, configFile: file });
      process.stderr.write(
        `only1mcp-health-worker: running (config ${file}${worker.metricsUrl ? `, metrics ${worker.metricsUrl}` : ''})\n`,
      );
      // This process is the worker's own: start-up's garbage goes once it is quiet, and V8 favours
      // memory while it stays quiet (packages/runtime).
      tendOwnHeap(logger);
      const stop = () => void worker.stop().then(() => process.exit(0));
      process.on('SIGHUP', () => void worker.reload?.());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  });

void program.parseAsync(process.argv);
