/**
 * `only1mcp auth hash-key [KEY]` and `only1mcp auth generate-key`: API keys are configured as
 * hashes (`auth.api_keys[].key_hash`), never in plain text; these print what goes in the file.
 */
import type { Command } from 'commander';
import { generateApiKey, hashApiKey } from '@only1mcp/auth';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Registers `auth hash-key` and `auth generate-key`. */
export function registerAuthCommands(program: Command): void {
  const auth = program.command('auth').description('API keys for auth.api_keys');
  auth
    .command('hash-key')
    .description(
      'print the key_hash of an API key (the key from the argument, or from stdin so it stays out of shell history)',
    )
    .argument('[key]', 'the API key')
    .action(async (key: string | undefined) => {
      const value = (key ?? (await readStdin())).trim();
      if (value === '') {
        process.stderr.write('only1mcp auth hash-key: no key given (pass it as an argument or on stdin)\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${hashApiKey(value)}\n`);
    });
  auth
    .command('generate-key')
    .description('print a new random API key and its key_hash (give the key to the client, put the hash in the config)')
    .action(() => {
      const key = generateApiKey();
      process.stdout.write(`key:      ${key}\nkey_hash: "${hashApiKey(key)}"\n`);
    });
}
