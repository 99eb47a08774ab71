/**
 * Builds the `only1mcp` commander program. Each command lives in commands/ and only composes
 * what the packages provide.
 */
import type { CommanderError } from 'commander';
import { Command } from 'commander';
import { EXIT_USAGE } from '@only1mcp/runtime';
import { VERSION } from '../version';
import { registerAdminCommands } from './commands/adminCommands';
import { registerAuthCommands } from './commands/authCommands';
import { registerConfigCommands } from './commands/configCommands';
import { registerImportCommand } from './commands/importCommand';
import { registerServeCommands } from './commands/serveCommands';
import { registerValidateCommand } from './commands/validateCommand';

/** Creates the program with every command registered. */
export function createProgram(): Command {
  const program = new Command('only1mcp')
    .description('Only1MCP: one MCP endpoint in front of many MCP servers.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((err: CommanderError) => {
      // --help and --version end with code 0; anything else commander rejects is a usage error.
      process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
    });

  registerServeCommands(program);
  registerValidateCommand(program);
  registerConfigCommands(program);
  registerImportCommand(program);
  registerAdminCommands(program);
  registerAuthCommands(program);
  // Every subcommand inherits the usage-error handling and --help/--version of the root.
  for (const command of program.commands) applyCommonOptions(command);
  return program;
}

function applyCommonOptions(command: Command): void {
  command
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));
  for (const sub of command.commands) applyCommonOptions(sub);
}
