/**
 * Many backends behind one gateway (issue 8/8): start-up, warm `tools/list` and gateway memory
 * with 50 stdio backends of 20 tools (1,000 tools), and with 100 Streamable HTTP backends.
 *
 *   node bench/dist/backends.js [--stdio 50] [--tools-each 20] [--http 100] [--samples 50]
 *                               [--peer /tmp/mcphub/node_modules/mcp-hub/dist/cli.js] [--profile DIR]
 *                               [--gc-after] [--health] [--idle 90s [--idle-heap]] [--start-delay 2s]
 *                               [--keep-alive 30s] [--gateway-node-options=--v8-pool-size=2]
 *                               [--gateway-env MALLOC_ARENA_MAX=2] [--scrape-every 15s]
 *
 * Each gateway runs as its own process (`only1mcp start`, temporary config file) so its resident
 * memory is its own; the backends are generatedServer.js processes (stdio) or, for HTTP, 100 SDK
 * v1 servers in ONE separate process (`--serve-http N`, below). Start-up is measured from
 * spawning the gateway to the first `tools/list` that holds the whole catalogue. `--peer` runs
 * mcp-hub (npm, installed outside the workspace) against the same stdio backends. `--profile DIR`
 * writes the stdio gateway's CPU profile there (`node bench/dist/profileSummary.js FILE` reads it).
 * Under the table: each gateway's V8 heap spaces at its RSS reading (from its /metrics) and, with
 * `--gc-after`, again 3 s after a full GC: what of its RSS is live, garbage or reserved.
 * `--idle 90s` then leaves each gateway idle and reads its RSS every 10 s (with `--idle-heap`, its
 * V8 heap's spaces too, from a /metrics scrape that allocates a little in it); `--health` turns
 * active health checks on (default settings) for the gateways. `--start-delay 2s` makes each stdio
 * backend wait that long, idle, before it serves (a start that mostly waits, as `npx -y` fetching
 * a server does), to show that such starts are not made to take turns. `--keep-alive 30s`: how long
 * the HTTP backends keep an idle connection (default 5 s, Node's). `--gateway-node-options` passes
 * Node/V8 options to the gateway processes only (space-separated), `--gateway-env` environment
 * variables (`NAME=VALUE`, space-separated). `--scrape-every 15s` scrapes the gateway's /metrics
 * that often while it sits idle (`--idle`), as Prometheus would.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs, countOption, durationOption, runBench, type BenchCommand, type BenchOption } from './cli';
import { freePort } from '@only1mcp/test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  childPids,
  afterGc,
  handle,
  gatewayMetrics,
  heapSpaces,
  machine,
  markdownTable,
  memoryOf,
  percentile,
  startGatewayProcess,
  gatewayEnv,
  gatewayNodeArgs,
  GATEWAY_PROCESS_OPTIONS,
  type ChildHandle,
} from './sessions';
import { machineBusyUs, processCpuUs } from './processCpu';

const GENERATED = join(__dirname, 'generatedServer.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;
/**
 * From the warm lists' end to the RSS reading, for every gateway alike: the gateway hands back
 * start-up's memory after its first quiet half second (packages/runtime, compactHeap.ts), which
 * the lists may have held off. 500 ms before the twelfth pass of 8/8, when it did so at once.
 */
const SETTLE_MS = 2_000;

/** The two tools each HTTP backend publishes. */
const HTTP_TOOLS = [
  {
    name: 'echo',
    description: 'Echoes its message.',
    inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  },
  {
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
];

/** A stateless SDK server for one request (the SDK's stateless transport serves one request). */
function statelessServer(index: number): McpServer {
  const server = new McpServer({ name: `http-${index}`, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: HTTP_TOOLS as never }));
  server.server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }],
  }));
  return server;
}

async function handleHttp(index: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const server = statelessServer(index);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => void Promise.allSettled([transport.close(), server.close()]));
  await server.connect(transport);
  await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
}

/** `--serve-http N`: N stateless Streamable HTTP MCP servers in this process; prints their URLs. */
async function serveHttp(count: number, keepAliveMs: number): Promise<void> {
  const urls = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<string>((resolve) => {
          const server = createServer((req, res) => {
            handleHttp(i, req, res).catch(() => {
              if (!res.headersSent) res.writeHead(500);
              res.end();
            });
          });
          // Node announces it (`Keep-Alive: timeout=N`); its default is 5 s.
          server.keepAliveTimeout = keepAliveMs;
          server.listen(0, '127.0.0.1', () =>
            resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`),
          );
        }),
    ),
  );
  process.stdout.write(`${JSON.stringify(urls)}\n`);
}

/** Starts `--serve-http count` in a child process; resolves with its URLs. */
async function startHttpBackends(count: number, keepAlive: string): Promise<{ urls: string[]; process: ChildHandle }> {
  const child = spawn(process.execPath, [__filename, '--serve-http', String(count), '--keep-alive', keepAlive], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const proc = handle(child);
  const urls = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(JSON.parse(text) as string[]);
    });
    child.once('exit', (code) => reject(new Error(`HTTP backends exited (${code})`)));
  });
  return { urls, process: proc };
}

/** The client transport for a URL: Streamable HTTP, or legacy HTTP+SSE (mcp-hub's `GET /mcp`). */
const transportFor = (url: string, sse: boolean) =>
  sse ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));

/** Lists tools until `expected` are there; the milliseconds since `since`. */
async function untilAllListed(
  url: string,
  expected: number,
  since: number,
  sse = false,
  timeoutMs = 120_000,
): Promise<number> {
  for (;;) {
    const client = new Client({ name: 'bench-backends', version: '1.0.0' });
    try {
      await client.connect(transportFor(url, sse));
      const tools = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined);
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      if (tools.length >= expected) return performance.now() - since;
    } catch {
      // Not serving yet.
    } finally {
      await client.close().catch(() => undefined);
    }
    if (performance.now() - since > timeoutMs)
      throw new Error(`${url}: fewer than ${expected} tools after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** What {@link warmList} measured. */
interface WarmList {
  p50: number;
  p95: number;
  count: number;
  /** The gateway process's CPU time per list (its own work, whatever the client spends parsing), ms. */
  serverCpuMs: number;
}

/**
 * Warm `tools/list` latency through one SDK client session, in ms, and the gateway's CPU per list.
 * The latency includes the SDK client parsing and validating the reply (~13 ms for 1,000 tools on
 * either gateway), so the CPU column is the one that shows the gateway's own cost.
 */
async function warmList(url: string, samples: number, serverPid: number, sse = false): Promise<WarmList> {
  const client = new Client({ name: 'bench-backends', version: '1.0.0' });
  await client.connect(transportFor(url, sse));
  try {
    let count = (await client.listTools()).tools.length;
    const times: number[] = [];
    const cpuBefore = processCpuUs(serverPid);
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      count = (await client.listTools()).tools.length;
      times.push(performance.now() - t0);
    }
    const serverCpuMs = (processCpuUs(serverPid) - cpuBefore) / 1000 / samples;
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95), count, serverCpuMs };
  } finally {
    await client.close();
  }
}

/** The RSS of a process's children (its backends), summed, in KiB. */
const childrenRssKb = (pid: number) => childPids(pid).reduce((sum, child) => sum + memoryOf(child).rssKb, 0);

type Row = string[];

function stdioServers(count: number, each: number, startDelayMs = 0) {
  return Array.from({ length: count }, (_, i) => ({
    id: `gen${i}`,
    command: process.execPath,
    args: [
      GENERATED,
      '--tools',
      String(each),
      '--domain',
      `domain${i}`,
      ...(startDelayMs > 0 ? ['--start-delay', String(startDelayMs)] : []),
    ],
  }));
}

async function gatewayRow(
  label: string,
  servers: object[],
  expected: number,
  samples: number,
  {
    profileDir,
    gcAfter = false,
    health = false,
    idleMs = 0,
    idleHeap = false,
    scrapeEveryMs = 0,
    nodeOptions = [],
    env,
  }: RowOptions = {},
): Promise<Row> {
  const started = performance.now();
  const busyBefore = machineBusyUs();
  const gateway = await startGatewayProcess(
    {
      health: { enabled: health },
      logging: { level: 'warn' },
      routing: { page_size: 10_000 },
      servers,
    },
    [
      ...nodeOptions,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(gcAfter ? ['--heapsnapshot-signal=SIGUSR2'] : []),
    ],
    env,
  );
  try {
    const allMs = await untilAllListed(gateway.url, expected, started);
    const pid = gateway.child.pid!;
    const startCpu = startUpCpu(busyBefore, pid);
    const { p50, p95, count, serverCpuMs } = await warmList(gateway.url, samples, pid);
    await sleep(SETTLE_MS);
    const { rssKb } = memoryOf(pid);
    heapNotes.push(`${label}: ${await heapSpaces(gateway.url)}`);
    if (idleMs > 0) {
      // Scraped as Prometheus would, the text dropped; the first scrape comes one interval in.
      const scraper =
        scrapeEveryMs > 0
          ? setInterval(() => void gatewayMetrics(gateway.url).catch(() => ''), scrapeEveryMs)
          : undefined;
      try {
        idleNotes.push(
          `${label}${scraper ? `, /metrics scraped every ${scrapeEveryMs / 1000} s` : ''}: ${await idleRss(pid, idleMs, idleHeap ? () => heapSpaces(gateway.url) : undefined)}`,
        );
      } finally {
        clearInterval(scraper);
      }
    }
    if (gcAfter) {
      // A full GC (the heap snapshot's), then a moment for V8 to hand freed pages back.
      await afterGc(gateway);
      await sleep(3_000);
      heapNotes.push(
        `${label}, 3 s after a full GC: ${await heapSpaces(gateway.url)}; RSS ${mib(memoryOf(pid).rssKb)} (a heap snapshot's own memory included)`,
      );
    }
    return [
      label,
      String(count),
      (gateway.listeningMs / 1000).toFixed(2),
      (allMs / 1000).toFixed(2),
      startCpu,
      p50.toFixed(2),
      p95.toFixed(2),
      serverCpuMs.toFixed(2),
      mib(rssKb),
      mib(childrenRssKb(pid)),
    ];
  } finally {
    await gateway.stop();
  }
}

/**
 * CPU seconds spent from a gateway's spawn to its full list: its own, its backends' (the child
 * processes it runs) and the whole machine's (all of these and this benchmark's polling):
 * "1.23 / 20.10 / 24.56".
 */
function startUpCpu(busyBefore: number, pid: number): string {
  const children = childPids(pid).reduce((sum, child) => sum + processCpuUs(child), 0);
  return [processCpuUs(pid), children, machineBusyUs() - busyBefore].map((us) => (us / 1e6).toFixed(2)).join(' / ');
}

/** Each gateway row's V8 heap spaces at its RSS reading, printed under the table. */
const heapNotes: string[] = [];
/** Each gateway row's RSS while it idled (`--idle`), printed under the table. */
const idleNotes: string[] = [];

/** What a gateway row measures besides start-up, lists and RSS. */
interface RowOptions {
  /** Write the gateway's CPU profile here. */
  profileDir?: string;
  /** Read the heap spaces again after a full GC. */
  gcAfter?: boolean;
  /** Active health checks on (default settings: every replica pinged every 10 s). */
  health?: boolean;
  /** After the RSS reading, leave the gateway idle this long, its RSS read every 10 s. */
  idleMs?: number;
  /** With `idleMs`: each reading also gives the V8 heap's spaces (a /metrics scrape). */
  idleHeap?: boolean;
  /** With `idleMs`: scrape /metrics this often meanwhile (`--scrape-every`; 0: never). */
  scrapeEveryMs?: number;
  /** Node/V8 options for the gateway process (`--gateway-node-options`). */
  nodeOptions?: string[];
  /** Environment variables for the gateway process (`--gateway-env`). */
  env?: Record<string, string>;
}

/**
 * The RSS of an idle gateway every 10 s for `ms` ("t=0 s 149.0, t=10 s 149.3, …" MiB): whether
 * and when V8 hands back what start-up left, and what health checks add between collections.
 */
async function idleRss(pid: number, ms: number, heapOf?: () => Promise<string>): Promise<string> {
  const readings: string[] = [];
  for (let t = 0; t <= ms; t += 10_000) {
    if (t > 0) await sleep(10_000);
    const rss = (memoryOf(pid).rssKb / 1024).toFixed(1);
    readings.push(`t=${t / 1000} s ${rss}${heapOf ? ` (${await heapOf()})` : ''}`);
  }
  return `${readings.join(heapOf ? '\n  ' : ', ')} MiB`;
}

/** mcp-hub against the same stdio backends: its config format is `mcpServers` as in VS Code. */
async function peerRow(cli: string, count: number, each: number, samples: number, startDelayMs = 0): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'mcphub-bench-'));
  const mcpServers = Object.fromEntries(
    stdioServers(count, each, startDelayMs).map(({ id, command, args }) => [id, { command, args }]),
  );
  const file = join(dir, 'mcp-servers.json');
  writeFileSync(file, JSON.stringify({ mcpServers }));
  const port = await freePort();
  const started = performance.now();
  const busyBefore = machineBusyUs();
  // Its workspace cache and logs go to XDG directories: point them into the temporary directory.
  const env = { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir };
  const child = spawn(process.execPath, [cli, '--port', String(port), '--config', file], {
    stdio: 'ignore',
    env,
    cwd: dir,
  });
  const hub = handle(child);
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    // mcp-hub 4.2.1 serves MCP over the legacy HTTP+SSE transport only (GET /mcp, POST /messages).
    const allMs = await untilAllListed(url, count * each, started, true);
    const pid = child.pid!;
    const startCpu = startUpCpu(busyBefore, pid);
    const { p50, p95, count: listed, serverCpuMs } = await warmList(url, samples, pid, true);
    await sleep(SETTLE_MS);
    return [
      `mcp-hub ${count} stdio × ${each}`,
      String(listed),
      '-',
      (allMs / 1000).toFixed(2),
      startCpu,
      p50.toFixed(2),
      p95.toFixed(2),
      serverCpuMs.toFixed(2),
      mib(memoryOf(pid).rssKb),
      mib(childrenRssKb(pid)),
    ];
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The command line (`--help` prints it; the file's comment says more of each option). */
const COMMAND = {
  script: 'backends',
  summary: 'Start-up, warm tools/list and gateway memory with many stdio and Streamable HTTP backends.',
  options: {
    stdio: { type: 'string', default: '50', value: 'N', help: 'stdio backends (generated servers)' },
    'tools-each': { type: 'string', default: '20', value: 'N', help: 'tools of each stdio backend' },
    http: {
      type: 'string',
      default: '100',
      value: 'N',
      help: 'Streamable HTTP backends (one process serves them all)',
    },
    samples: { type: 'string', default: '50', value: 'N', help: 'warm tools/list requests per row' },
    peer: {
      type: 'string',
      value: 'FILE',
      help: "mcp-hub's dist/cli.js (npm, installed outside the workspace), run against the same stdio backends",
    },
    profile: { type: 'string', value: 'DIR', help: "write the stdio gateway's CPU profile to DIR" },
    'gc-after': { type: 'boolean', default: false, help: "read each gateway's heap again 3 s after a full GC" },
    health: { type: 'boolean', default: false, help: 'active health checks on (default settings)' },
    idle: {
      type: 'string',
      default: '0s',
      value: 'DURATION',
      help: 'then leave each gateway idle that long, its RSS read every 10 s',
    },
    'idle-heap': { type: 'boolean', default: false, help: "with --idle, the V8 heap's spaces at each reading too" },
    'scrape-every': {
      type: 'string',
      default: '0s',
      value: 'DURATION',
      help: "with --idle, scrape the gateway's /metrics that often",
    },
    'start-delay': {
      type: 'string',
      default: '0s',
      value: 'DURATION',
      help: 'each stdio backend waits that long, idle, before it serves',
    },
    'keep-alive': {
      type: 'string',
      default: '5s',
      value: 'DURATION',
      help: 'how long the HTTP backends keep an idle connection',
    },
    ...GATEWAY_PROCESS_OPTIONS,
    'serve-http': {
      type: 'string',
      value: 'N',
      help: 'internal: serve N HTTP backends in this process and print their URLs',
    },
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

async function main(): Promise<void> {
  const { values } = benchArgs(COMMAND);
  const keepAliveMs = durationOption('keep-alive', values['keep-alive']);
  if (values['serve-http'] !== undefined)
    return serveHttp(countOption('serve-http', values['serve-http'], 1), keepAliveMs);
  const stdio = countOption('stdio', values.stdio);
  const each = countOption('tools-each', values['tools-each'], 1);
  const http = countOption('http', values.http);
  const samples = countOption('samples', values.samples, 1);
  const idleMs = durationOption('idle', values.idle);
  const startDelayMs = durationOption('start-delay', values['start-delay']);
  const scrapeEveryMs = durationOption('scrape-every', values['scrape-every']);
  const rowOptions: RowOptions = {
    gcAfter: values['gc-after'],
    health: values.health,
    idleMs,
    idleHeap: values['idle-heap'],
    scrapeEveryMs,
    nodeOptions: gatewayNodeArgs(values['gateway-node-options']),
    env: gatewayEnv(values['gateway-env']),
  };
  const rows: Row[] = [];
  const progress = (row: Row) => process.stderr.write(`  ${row.join(' | ')}\n`);

  if (stdio > 0) {
    const servers = stdioServers(stdio, each, startDelayMs).map((s) => ({ ...s, transport: 'stdio' }));
    rows.push(
      await gatewayRow(`only1mcp ${stdio} stdio × ${each}`, servers, stdio * each, samples, {
        ...rowOptions,
        profileDir: values.profile,
      }),
    );
    progress(rows[rows.length - 1]!);
    if (values.peer) {
      rows.push(await peerRow(values.peer, stdio, each, samples, startDelayMs));
      progress(rows[rows.length - 1]!);
    }
  }
  if (http > 0) {
    const backends = await startHttpBackends(http, values['keep-alive']);
    try {
      const servers = backends.urls.map((url, i) => ({ id: `http${i}`, transport: 'http', url }));
      rows.push(
        await gatewayRow(
          `only1mcp ${http} HTTP × ${HTTP_TOOLS.length}`,
          servers,
          http * HTTP_TOOLS.length,
          samples,
          rowOptions,
        ),
      );
      rows[rows.length - 1]![9] = `${mib(memoryOf(backends.process.child.pid!).rssKb)} (1 process)`;
      progress(rows[rows.length - 1]!);
    } finally {
      await backends.process.stop();
    }
  }
  process.stdout.write(
    `backends benchmark: ${samples} warm tools/list per row, one SDK v1 client session; ${machine()}\n\n`,
  );
  process.stdout.write(
    markdownTable(
      [
        'gateway and backends',
        'tools',
        'listening s',
        'all tools listed s',
        'CPU s to full list: gateway / backends / machine',
        'warm list p50 ms',
        'warm list p95 ms',
        'gateway CPU ms/list',
        'gateway RSS',
        'backends RSS',
      ],
      rows,
    ) + '\n',
  );
  process.stdout.write(
    `\ngateway V8 heap at the RSS reading, MiB reserved/in use (in use includes garbage not yet collected):\n${heapNotes.map((n) => `- ${n}\n`).join('')}`,
  );
  if (idleNotes.length > 0)
    process.stdout.write(
      `\ngateway RSS while idle${values.health ? ', health checks on' : ''}:\n${idleNotes.map((n) => `- ${n}\n`).join('')}`,
    );
}

runBench(COMMAND.script, main);
