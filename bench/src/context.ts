/**
 * The context benchmark (issue 7/8): what a client's `tools/list` costs in tokens through the
 * gateway, for the full aggregate and for each context-optimization mode, and how long a list
 * takes cold (the first list of a new client session) and warm.
 *
 *   node bench/dist/context.js [--generated 6] [--tools-each 50] [--samples 50]
 *
 * Backends: the reference servers (`everything`, `memory`) plus `--generated` stdio servers with
 * `--tools-each` realistic tools each (bench/src/generatedServer.ts); ≥ 300 tools by default.
 * Tokens: @only1mcp/context's tokenizer (o200k_base) over the JSON of the complete list a client
 * receives (all pages).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema } from '@only1mcp/config';
import { countTokens } from '@only1mcp/context';
import { startGateway } from '@only1mcp/gateway';
import { silentLogger } from '@only1mcp/registry';
import { EVERYTHING_COMMAND } from './benchConfig';
import { benchArgs, countOption, runBench, type BenchCommand, type BenchOption } from './cli';

const MODES = {
  full: undefined,
  compact: 'compact',
  'compact + 200-char descriptions': 'short',
  'filtered (one server)': 'one',
  lazy: 'lazy',
} as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The command line (`--help` prints it). */
const COMMAND = {
  script: 'context',
  summary:
    "A client's tools/list through the gateway: its tokens for each context-optimization mode, cold and warm latency.",
  options: {
    generated: {
      type: 'string',
      default: '6',
      value: 'N',
      help: 'generated stdio backends beside the reference servers',
    },
    'tools-each': { type: 'string', default: '50', value: 'N', help: 'tools of each generated backend' },
    samples: { type: 'string', default: '50', value: 'N', help: 'tools/list requests timed per profile' },
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

async function main(): Promise<void> {
  const { values } = benchArgs(COMMAND);
  const generated = countOption('generated', values.generated);
  const each = countOption('tools-each', values['tools-each'], 1);
  const samples = countOption('samples', values.samples, 1);
  const memory = require.resolve('@modelcontextprotocol/server-memory/dist/index.js');
  const parsed = ConfigSchema.parse({
    server: { host: '127.0.0.1' },
    health: { enabled: false },
    servers: [
      { id: 'everything', transport: 'stdio', ...EVERYTHING_COMMAND },
      {
        id: 'memory',
        transport: 'stdio',
        command: process.execPath,
        args: [memory],
        env: { MEMORY_FILE_PATH: '/tmp/only1mcp-bench-memory.jsonl' },
      },
      ...Array.from({ length: generated }, (_, i) => ({
        id: `gen${i}`,
        transport: 'stdio' as const,
        command: process.execPath,
        args: [join(__dirname, 'generatedServer.js'), '--tools', String(each), '--domain', `domain${i}`],
      })),
    ],
    routing: { page_size: 10_000 },
    context: {
      profiles: {
        compact: { compact_schemas: true },
        short: { compact_schemas: true, max_description_length: 200 },
        one: { allow: ['gen0__*'] },
        lazy: { lazy_tools: true },
      },
    },
  });
  const started = performance.now();
  const gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
  const startupMs = performance.now() - started;
  try {
    const rows: string[][] = [];
    let fullTokens = 0;
    for (const [mode, profile] of Object.entries(MODES)) {
      const url = new URL(`${gateway.url}/mcp${profile ? `?profile=${profile}` : ''}`);
      const cold: number[] = [];
      const warm: number[] = [];
      let tokens = 0;
      let count = 0;
      for (let i = 0; i < samples; i++) {
        const client = new Client({ name: 'bench-context', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(url));
        const t0 = performance.now();
        const { tools } = await client.listTools();
        cold.push(performance.now() - t0);
        const t1 = performance.now();
        await client.listTools();
        warm.push(performance.now() - t1);
        if (i === 0) {
          tokens = countTokens(tools);
          count = tools.length;
        }
        await client.close();
      }
      if (profile === undefined) fullTokens = tokens;
      cold.sort((a, b) => a - b);
      warm.sort((a, b) => a - b);
      rows.push([
        mode,
        String(count),
        tokens.toLocaleString('en-US'),
        fullTokens ? `${(100 * (1 - tokens / fullTokens)).toFixed(1)} %` : '',
        percentile(cold, 50).toFixed(2),
        percentile(warm, 50).toFixed(2),
        percentile(warm, 95).toFixed(2),
      ]);
    }
    const header = ['mode', 'tools sent', 'tokens', 'saved', 'cold p50 ms', 'warm p50 ms', 'warm p95 ms'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    process.stdout.write(
      `context benchmark: ${gateway.registry.catalog.tools.length} tools from ${parsed.servers.length} backends, ` +
        `${samples} client sessions per mode, ${cpus().length} CPUs; gateway start-up ${startupMs.toFixed(0)} ms\n\n`,
    );
    process.stdout.write(`${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
    for (const row of rows) process.stdout.write(`${line(row)}\n`);
  } finally {
    await gateway.stop();
  }
}

runBench(COMMAND.script, main);
