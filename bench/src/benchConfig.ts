/**
 * The backends the benchmarks talk to (the reference server over stdio; an SDK echo server over
 * Streamable HTTP) and the gateway configuration in front of them.
 */
import { ConfigSchema, type Config } from '@only1mcp/config';

/** The reference server's entry point, run with `node <it> stdio`. */
export const EVERYTHING_ENTRY = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** The command line that starts the reference server on stdio. */
export const EVERYTHING_COMMAND = { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] };

/** The tool every benchmark calls, by its public (prefixed) and its backend name. */
export const ECHO_TOOL = { public: 'everything__echo', backend: 'echo' } as const;

/** The echo tool of the HTTP backend (httpEchoServer.ts) through the gateway: server id `echo`. */
export const HTTP_ECHO_TOOL = { public: 'echo__echo', backend: 'echo' } as const;

/** The backend a benchmark gateway is in front of. */
export type BenchBackend = { kind: 'stdio' } | { kind: 'http'; url: string };

/**
 * The gateway configuration as a user writes it (the content of a config file): one backend,
 * loopback only, and enough streams per client for every legacy SSE bench client (the default, 16,
 * is a per-client safety limit; all bench clients are one anonymous client).
 */
export function benchConfigFile(backend: BenchBackend = { kind: 'stdio' }): Record<string, unknown> {
  const server =
    backend.kind === 'stdio'
      ? { id: 'everything', transport: 'stdio', ...EVERYTHING_COMMAND }
      : { id: 'echo', transport: 'http', url: backend.url };
  return { server: { host: '127.0.0.1', max_streams_per_client: 1024 }, servers: [server] };
}

/** {@link benchConfigFile} parsed, on a free loopback port (for a gateway or registry in this process). */
export function benchConfig(backend?: BenchBackend): Config {
  const parsed = ConfigSchema.parse(benchConfigFile(backend));
  // Port 0 (a free port) is not valid in a file; it is set after validation, as the gateway's tests do.
  return { ...parsed, server: { ...parsed.server, port: 0 } };
}
