/** `only1mcp start` and `only1mcp stdio`: serving MCP arrives with issue 2/8. */
import type { Command } from 'commander';
import { loadConfig } from '@only1mcp/config';
import { EXIT_FAILURE } from '../exitCodes';
import { reportError } from './reportError';

function notYet(what: string, options: { config?: string }): void {
  try {
    const loaded = loadConfig({ path: options.config });
    process.stderr.write(
      `only1mcp ${what}: not implemented yet. The configuration ${loaded.file} is valid, but this build does not serve MCP; ` +
        'the gateway core arrives with issue 2/8.\n',
    );
    process.exitCode = EXIT_FAILURE;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Registers `start` and `stdio`. */
export function registerServeCommands(program: Command): void {
  program
    .command('start')
    .description('serve MCP over HTTP on /mcp (not yet implemented)')
    .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port (overrides server.port)')
    .action((options: { config?: string }) => notYet('start', options));

  program
    .command('stdio')
    .description('serve MCP on stdin/stdout for stdio-only clients (not yet implemented)')
    .option('-c, --config <file>', 'configuration file (default: the usual places, see README)')
    .action((options: { config?: string }) => notYet('stdio', options));
}
