#!/usr/bin/env node
/**
 * `only1mcp-health-worker --config FILE` (or `pnpm health-worker --config FILE` at the root):
 * runs the health-worker until SIGINT/SIGTERM. Logs go to stderr, as JSON by default.
 */
import { Command } from 'commander';
import { loadConfig } from '@only1mcp/config';
import { createLogger, reportError } from '@only1mcp/gateway';
import { startHealthWorker } from './healthWorker';

const program = new Command('only1mcp-health-worker')
  .description('Probes every backend replica and publishes their health to Redis for the gateway replicas.')
  .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
  .action(async (options: { config?: string }) => {
    try {
      const { config, file } = loadConfig({ path: options.config });
      const logger = createLogger(config.logging);
      const worker = await startHealthWorker(config, logger);
      process.stderr.write(`only1mcp-health-worker: running (config ${file})\n`);
      const stop = () => void worker.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  });

void program.parseAsync(process.argv);
