/** `only1mcp start` (HTTP) and `only1mcp stdio` (one client on stdin/stdout). */
import { InvalidArgumentError, type Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '@only1mcp/config';
import { startGateway } from '../../gateway';
import { createLogger } from '../../logger';
import { startStdioGateway } from '../../stdioGateway';
import { reportError } from './reportError';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError('must be a whole number from 1 to 65535');
  return port;
}

/** Configured sections this build validates but does not enforce yet (issue 6/8). */
function unenforcedSections(config: Config): string[] {
  return [config.auth ? 'auth' : undefined, config.rate_limit ? 'rate_limit' : undefined].filter(
    (s) => s !== undefined,
  );
}

/** Settings that validate but are not enforced yet: refuse to run rather than run unprotected. */
function refuseUnimplemented(config: Config, file: string): void {
  const unimplemented = unenforcedSections(config);
  if (unimplemented.length > 0) {
    throw new ConfigError(
      `${file}: ${unimplemented.join(' and ')} ${unimplemented.length === 1 ? 'is' : 'are'} configured but not enforced by this build (issue 6/8); ` +
        'refusing to start unprotected. Remove the section to run without it.',
    );
  }
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
        const { config, file } = loadConfig({
          path: options.config,
          overrides: { server: { host: options.host, port: options.port } },
        });
        refuseUnimplemented(config, file);
        const logger = createLogger(config.logging);
        const gateway = await startGateway(config, logger);
        process.stderr.write(`only1mcp: serving MCP on ${gateway.url}/mcp (config ${file})\n`);
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
        const logger = createLogger(config.logging);
        // The only client is the local process that spawned us: there is no caller to authenticate or throttle.
        const ignored = unenforcedSections(config);
        if (ignored.length > 0)
          logger.warn(`${ignored.join(' and ')} configured but not applied by the stdio front`, { config: file });
        const gateway = await startStdioGateway(config, logger);
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
