/** `only1mcp import FILE`: converts a Claude Desktop / Cursor / VS Code server list to Only1MCP YAML. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importMcpServers } from '@only1mcp/config';
import { reportError } from '@only1mcp/runtime';

/** Registers `import`. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('print the Only1MCP YAML equivalent of an mcpServers JSON file (Claude Desktop, Cursor, VS Code)')
    .argument('<file>', 'the client configuration file, e.g. claude_desktop_config.json')
    .action((file: string) => {
      try {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        const result = importMcpServers(text, file);
        process.stdout.write(result.yaml);
        // Warnings go to stderr so `only1mcp import x.json > only1mcp.yaml` writes a clean file.
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
