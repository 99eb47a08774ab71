/** `only1mcp start` (HTTP) and `only1mcp stdio` (one client on stdin/stdout). */
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig, type Config } from '@only1mcp/config';
import { createLogger, reportError, secretsOf, tendOwnHeap } from '@only1mcp/runtime';
import { startGateway, type RunningGateway } from '../../gateway';
import { startStdioGateway } from '../../stdioGateway';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError('must be a whole number from 1 to 65535');
  return port;
}

/** Sections that protect the HTTP fronts and mean nothing to the one local stdio client. */
function httpOnlySections(config: Config): string[] {
  return [config.auth ? 'auth' : undefined, config.rate_limit ? 'rate_limit' : undefined].filter(
    (s) => s !== undefined,
  );
}

/** Registers `start` and `stdio`. */
export function registerServeCommands(program: Command): void {
  program
    .command('start')
    .description('serve MCP over HTTP on /mcp, aggregating every configured backend')
    .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port (overrides server.port)', parsePort)
    .action(async (options: { config?: string; host?: string; port?: number }) => {
      try {
        const overrides = { server: { host: options.host, port: options.port } };
        const { config, file } = loadConfig({ path: options.config, overrides });
        // Secrets of the configuration in force (a reload may change them) never reach the log.
        let running: RunningGateway | undefined;
        const logger = createLogger(
          config.logging,
          secretsOf(() => running?.registry.settings ?? config),
        );
        // The file is watched and re-read on SIGHUP: a valid change applies without a restart.
        const gateway = (running = await startGateway(config, logger, {
          configFile: file,
          configOverrides: overrides,
        }));
        process.stderr.write(`only1mcp: serving MCP on ${gateway.url}/mcp (config ${file})\n`);
        // This process is the gateway's own: start-up's garbage goes once it is quiet, and V8 favours
        // memory while it stays quiet (packages/runtime).
        tendOwnHeap(logger);
        process.on('SIGHUP', () => void gateway.reload?.('signal'));
        const shutdown = (signal: string) => {
          logger.info('shutting down', { signal });
          void gateway.stop().then(() => process.exit(0));
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });

  program
    .command('stdio')
    .description('serve MCP on stdin/stdout for one local client (e.g. Claude Desktop); logs go to stderr')
    .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
    .action(async (options: { config?: string }) => {
      try {
        const { config, file } = loadConfig({ path: options.config });
        const logger = createLogger(
          config.logging,
          secretsOf(() => config),
        );
        // The only client is the local process that spawned us: there is no caller to authenticate or throttle.
        const ignored = httpOnlySections(config);
        if (ignored.length > 0)
          logger.warn(`${ignored.join(' and ')} configured but not applied by the stdio front`, { config: file });
        const gateway = await startStdioGateway(config, logger);
        tendOwnHeap(logger);
        const shutdown = (signal: string) => {
          logger.info('shutting down', { signal });
          void gateway.stop();
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        await gateway.stopped;
        // Exit explicitly so nothing (a keep-alive socket to an HTTP backend) outlives the client.
        process.exit(0);
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
