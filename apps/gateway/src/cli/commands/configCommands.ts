/** `only1mcp config schema` and `only1mcp config generate --template NAME`. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { TEMPLATE_NAMES, configJsonSchema, readTemplate } from '@only1mcp/config';
import { reportError } from '@only1mcp/runtime';

/** Registers the `config` command group. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('configuration helpers');

  config
    .command('schema')
    .description('print the JSON Schema of the configuration file (for editor autocompletion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });

  config
    .command('generate')
    .description('print a configuration template to start from')
    .addOption(new Option('-t, --template <name>', 'which template').choices([...TEMPLATE_NAMES]).default('solo'))
    .action((options: { template: string }) => {
      try {
        process.stdout.write(readTemplate(options.template));
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
