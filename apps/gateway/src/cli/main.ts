#!/usr/bin/env node
/**
 * The `only1mcp` command line: parses arguments and runs one command. Exit codes: 0 success,
 * 1 the command failed (e.g. an invalid configuration), 2 the command line itself was wrong.
 */
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`only1mcp: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
