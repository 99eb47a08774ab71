/** Prints a configuration problem for a person and returns the exit code to use. */
import { ConfigError } from '@only1mcp/config';
import { EXIT_FAILURE } from './exitCodes';

/** Writes `err` to stderr (every problem, no stack trace for a ConfigError) and returns exit code 1. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`only1mcp: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return EXIT_FAILURE;
}
