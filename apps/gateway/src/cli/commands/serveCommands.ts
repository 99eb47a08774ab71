/** `only1mcp start` (HTTP) and `only1mcp stdio` (not yet). */
import { InvalidArgumentError, type Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '@only1mcp/config';
import { startGateway } from '../../gateway';
import { createLogger } from '../../logger';
import { EXIT_FAILURE } from '../exitCodes';
import { reportError } from './reportError';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('must be a whole number from 1 to 65535');
  return port;
}

/** Settings that validate but are not enforced yet: refuse to run rather than run unprotected. */
function refuseUnimplemented(config: Config, file: string): void {
  const unimplemented = [config.auth ? 'auth' : undefined, config.rate_limit ? 'rate_limit' : undefined].filter(Boolean);
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
        const { config, file } = loadConfig({ path: options.config, overrides: { server: { host: options.host, port: options.port } } });
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
    .description('serve MCP on stdin/stdout for stdio-only clients (not yet implemented)')
    .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
    .action((options: { config?: string }) => {
      try {
        const loaded = loadConfig({ path: options.config });
        process.stderr.write(`only1mcp stdio: not implemented yet. The configuration ${loaded.file} is valid; use only1mcp start (HTTP) meanwhile.\n`);
        process.exitCode = EXIT_FAILURE;
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
