/**
 * The one backend every benchmark talks to (the reference server over stdio) and the gateway
 * configuration in front of it.
 */
import { ConfigSchema, type Config } from '@only1mcp/config';

/** The reference server's entry point, run with `node <it> stdio`. */
export const EVERYTHING_ENTRY = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** The command line that starts the reference server on stdio. */
export const EVERYTHING_COMMAND = { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] };

/** The tool every benchmark calls, by its public (prefixed) and its backend name. */
export const ECHO_TOOL = { public: 'everything__echo', backend: 'echo' } as const;

/** A gateway configuration with the reference server as its only backend, on a free loopback port. */
export function benchConfig(): Config {
  const parsed = ConfigSchema.parse({
    server: { host: '127.0.0.1' },
    servers: [{ id: 'everything', transport: 'stdio', ...EVERYTHING_COMMAND }],
  });
  // Port 0 (a free port) is not valid in a file; it is set after validation, as the gateway's tests do.
  return { ...parsed, server: { ...parsed.server, port: 0 } };
}
