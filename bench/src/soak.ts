/**
 * The soak run (issue 8/8): mixed traffic for a long time (default 10 min) through one gateway in
 * this process: SDK v1 sessions (2025-11-25), SDK v2 clients on the current protocol (2026-07-28,
 * stateless) and plain stateless POSTs (tools/list, resources/read, prompts/list, tools/call
 * echo), while one replica of a two-replica stdio backend is SIGKILLed
 * every minute and the config is rewritten (an extra server toggled in or out) and reloaded every
 * two minutes. Prints requests and failures by method, the post-GC heap and RSS series with their
 * linear trends, and whether any fixture process or listening socket was left; exits 1 when an
 * idempotent request failed, a tools/call failed other than by a replica going away, or something
 * was left behind. The short CI version is bench/test/soak.test.ts.
 *
 *   node bench/dist/soak.js --duration 10m [--kill-every 60s] [--reload-every 120s] [--sample-every 5s]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  Client as CurrentClient,
  StreamableHTTPClientTransport as CurrentTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '@only1mcp/config';
import { startGateway } from '@only1mcp/gateway';
import { IDEMPOTENT_METHODS, pruneAbortSignalAny, silentLogger } from '@only1mcp/registry';
import { FIXTURE_RESOURCE_URI, PROCFS, fixtureServerCommand, markedProcesses, onFreePort } from '@only1mcp/test-utils';
import { benchArgs, durationOption, runBench, type BenchCommand, type BenchOption } from './cli';

/** `tools/call` errors that only say the replica went away mid-call (documented in errorCodes.ts). */
const BACKEND_GONE = new Set([-32010, -32013]);
const SDK_CLIENTS = 3;
const CURRENT_CLIENTS = 2;
const PLAIN_CLIENTS = 2;

const MAIN_MARKER = `SOAK_MAIN=${randomUUID()}`;
const EXTRA_MARKER = `SOAK_EXTRA=${randomUUID()}`;
const envOf = (marker: string) => Object.fromEntries([marker.split('=') as [string, string]]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A forced full GC, so heap samples measure what is retained rather than when V8 last collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function writeConfig(file: string, port: number, withExtra: boolean): void {
  const servers: Record<string, unknown>[] = [
    {
      id: 'main',
      transport: 'stdio',
      ...fixtureServerCommand({ label: 'main' }),
      env: envOf(MAIN_MARKER),
      replicas: 2,
      restart: { initial_delay: '100ms', max_delay: '500ms' },
    },
  ];
  if (withExtra)
    servers.push({
      id: 'extra',
      transport: 'stdio',
      ...fixtureServerCommand({ label: 'extra' }),
      env: envOf(EXTRA_MARKER),
    });
  writeFileSync(file, JSON.stringify({ server: { port, shutdown_timeout: '5s' }, servers }, null, 2));
}

/** Requests sent and failed, by method, and how the failures are classified. */
export class Tally {
  readonly sent = new Map<string, number>();
  readonly failed = new Map<string, number>();
  readonly errors: string[] = [];
  idempotentFailures = 0;
  backendGoneCalls = 0;

  async count(method: string, run: () => Promise<unknown>): Promise<void> {
    this.sent.set(method, (this.sent.get(method) ?? 0) + 1);
    try {
      await run();
    } catch (err) {
      this.failed.set(method, (this.failed.get(method) ?? 0) + 1);
      const code = (err as { code?: unknown }).code;
      if (IDEMPOTENT_METHODS.has(method)) this.idempotentFailures += 1;
      else if (method === 'tools/call' && typeof code === 'number' && BACKEND_GONE.has(code)) {
        this.backendGoneCalls += 1;
        return;
      }
      if (this.errors.length < 20) this.errors.push(`${method}: ${String(code)} ${(err as Error).message}`);
    }
  }
}

/** An error carrying the JSON-RPC code of a failed plain POST. */
class RpcFailure extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

/** A stateless POST (no session, as curl sends it); the answer may be plain JSON or one SSE event. */
async function plainPost(url: string, id: number, method: string, params: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('text/event-stream')
    ? text
        .split('\n')
        .find((l) => l.startsWith('data:') && l.includes('"jsonrpc"'))
        ?.slice(5)
    : text;
  const message = JSON.parse(json ?? 'null') as { result?: unknown; error?: { code: number; message: string } } | null;
  if (res.status !== 200 || !message) throw new RpcFailure(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  if (message.error) throw new RpcFailure(message.error.message, message.error.code);
  return message.result;
}

/** Throws unless an echo result carries back exactly `message` (a wrong answer is a failure too). */
function checkEcho(result: unknown, message: string): void {
  const { isError, content } = result as { isError?: boolean; content?: { text?: string }[] };
  if (isError || content?.[0]?.text !== message) throw new Error(`echo answered ${JSON.stringify(result)}`);
}

/** The four request kinds of the mix, by method, for either kind of client. */
type Mix = Record<'tools/list' | 'resources/read' | 'prompts/list' | 'tools/call', () => Promise<unknown>>;

/** What the mix asks of an SDK client, v1 or v2 alike. */
interface SdkClient {
  listTools(): Promise<unknown>;
  readResource(params: { uri: string }): Promise<unknown>;
  listPrompts(): Promise<unknown>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

const sdkMix = (client: SdkClient, n: () => number): Mix => ({
  'tools/list': () => client.listTools(),
  'resources/read': () => client.readResource({ uri: FIXTURE_RESOURCE_URI }),
  'prompts/list': () => client.listPrompts(),
  'tools/call': async () => {
    const message = `s${n()}`;
    checkEcho(await client.callTool({ name: 'main__echo', arguments: { message } }), message);
  },
});

const plainMix = (url: string, n: () => number): Mix => ({
  'tools/list': () => plainPost(url, n(), 'tools/list', {}),
  'resources/read': () => plainPost(url, n(), 'resources/read', { uri: FIXTURE_RESOURCE_URI }),
  'prompts/list': () => plainPost(url, n(), 'prompts/list', {}),
  'tools/call': async () => {
    const message = `p${n()}`;
    checkEcho(await plainPost(url, n(), 'tools/call', { name: 'main__echo', arguments: { message } }), message);
  },
});

/** Sends requests of the mix, one at a time, until `until`. */
async function drive(mix: Mix, tally: Tally, until: number): Promise<void> {
  const methods = Object.keys(mix) as (keyof Mix)[];
  for (let i = 0; Date.now() < until; i++) {
    const method = methods[i % methods.length]!;
    await tally.count(method, mix[method]);
  }
}

/** Least-squares slope of (t ms, y) pairs, per minute. */
function slopePerMinute(points: readonly [number, number][]): number {
  const n = points.length;
  const mt = points.reduce((s, [t]) => s + t, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const cov = points.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0);
  const vt = points.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return vt === 0 ? 0 : (cov / vt) * 60_000;
}

/** True when nothing listens on `port` (we can bind it ourselves). */
function portFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const resources = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
const mb = (bytes: number) => bytes / 2 ** 20;

/** The schedule of one soak run (milliseconds). */
export interface SoakOptions {
  durationMs: number;
  killEveryMs: number;
  reloadEveryMs: number;
  sampleEveryMs: number;
  /** Samples before this are left out of the memory trend (JIT, first restart and reload paths). */
  warmUpMs: number;
}

/** What one soak run observed. */
export interface SoakReport {
  options: SoakOptions;
  elapsedMs: number;
  tally: Tally;
  kills: number;
  reloads: number;
  reloadProblems: string[];
  samples: { t: number; heap: number; rss: number }[];
  /** MB per minute after warm-up. */
  heapTrend: number;
  rssTrend: number;
  /** Fixture processes still alive after stop (empty without /proc). */
  leftover: number[];
  portFree: boolean;
  serversBefore: number;
  serversAfter: number;
  socketsAfter: number;
}

/**
 * Starts the gateway on a port found free. The configuration file names the port (reloads read it
 * again), so it is picked before the gateway binds it, and a parallel test may take it in between:
 * then another is picked (`onFreePort`).
 */
function startOnFreePort(file: string, withExtra: boolean) {
  return onFreePort(async (port) => {
    writeConfig(file, port, withExtra);
    const gateway = await startGateway(loadConfig({ path: file }).config, silentLogger, {
      configFile: file,
      watchConfig: false,
    });
    return { port, gateway };
  });
}

/** Runs one soak: a gateway, mixed traffic, replica kills and reloads on schedule; then checks what is left. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  // The SDK v2 clients share this process: without it, Node 20's AbortSignal.any keeps ~60 bytes
  // per current-protocol request (abortSignalAny.ts), which the heap trend would count.
  pruneAbortSignalAny();
  const { durationMs, killEveryMs, reloadEveryMs, sampleEveryMs, warmUpMs } = options;
  const dir = mkdtempSync(join(tmpdir(), 'only1mcp-soak-'));
  const file = join(dir, 'only1mcp.yaml');
  let withExtra = false;
  const { port, gateway } = await startOnFreePort(file, withExtra);
  const url = `${gateway.url}/mcp`;
  const tally = new Tally();
  let id = 1;
  const next = () => id++;
  const clients = await Promise.all([
    ...Array.from({ length: SDK_CLIENTS }, async (_, i) => {
      const client = new Client({ name: `soak-${i}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    }),
    ...Array.from({ length: CURRENT_CLIENTS }, async (_, i) => {
      const client = new CurrentClient(
        { name: `soak-current-${i}`, version: '1.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(new CurrentTransport(new URL(url)));
      return client;
    }),
  ]);

  const started = Date.now();
  const until = started + durationMs;
  const samples: { t: number; heap: number; rss: number }[] = [];
  let kills = 0;
  let reloads = 0;
  const reloadProblems: string[] = [];
  const chaos = (async () => {
    let nextKill = started + killEveryMs;
    let nextReload = started + reloadEveryMs;
    let nextSample = started;
    while (Date.now() < until) {
      const now = Date.now();
      if (now >= nextSample) {
        gc();
        const usage = process.memoryUsage();
        samples.push({ t: now - started, heap: mb(usage.heapUsed), rss: mb(usage.rss) });
        nextSample += sampleEveryMs;
      }
      // Only kill when both replicas are up, so one is always there to serve.
      const mainServer = gateway.registry.status().find((s) => s.id === 'main');
      if (now >= nextKill && mainServer?.replicas.every((r) => r.state === 'up')) {
        const pids = markedProcesses(MAIN_MARKER);
        if (pids.length > 0) {
          process.kill(pids[kills % pids.length]!, 'SIGKILL');
          kills += 1;
        }
        nextKill += killEveryMs;
      }
      if (now >= nextReload) {
        withExtra = !withExtra;
        writeConfig(file, port, withExtra);
        const report = await gateway.reload!('admin');
        if (report.ok) reloads += 1;
        else reloadProblems.push(JSON.stringify(report.errors));
        nextReload += reloadEveryMs;
      }
      await sleep(100);
    }
  })();
  await Promise.all([
    chaos,
    ...clients.map((c) => drive(sdkMix(c, next), tally, until)),
    ...Array.from({ length: PLAIN_CLIENTS }, () => drive(plainMix(url, next), tally, until)),
  ]);
  const elapsed = Date.now() - started;

  await Promise.all(clients.map((c) => c.close()));
  const serversBefore = resources('TCPServerWrap') - 1; // the gateway's own listener
  await gateway.stop();
  const serversAfter = resources('TCPServerWrap');
  const socketsAfter = resources('TCPSocketWrap');
  // Children get a moment to be reaped after stop() returns.
  let leftover: number[] = [];
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(100)) {
    leftover = PROCFS ? [...markedProcesses(MAIN_MARKER), ...markedProcesses(EXTRA_MARKER)] : [];
    if (leftover.length === 0) break;
  }
  const free = await portFree(port);
  rmSync(dir, { recursive: true, force: true });

  const steady = samples.filter((s) => s.t >= warmUpMs);
  return {
    options,
    elapsedMs: elapsed,
    tally,
    kills,
    reloads,
    reloadProblems,
    samples,
    heapTrend: slopePerMinute(steady.map((s) => [s.t, s.heap])),
    rssTrend: slopePerMinute(steady.map((s) => [s.t, s.rss])),
    leftover,
    portFree: free,
    serversBefore,
    serversAfter,
    socketsAfter,
  };
}

/** True when the run met the goals: no failed idempotent request, no unexplained failure, nothing left behind. */
export function soakPassed(r: SoakReport): boolean {
  return (
    r.tally.idempotentFailures === 0 &&
    r.tally.errors.length === 0 &&
    r.reloadProblems.length === 0 &&
    r.leftover.length === 0 &&
    r.portFree &&
    r.serversAfter === r.serversBefore
  );
}

/** The report as Markdown (what BENCHMARKS.md shows). */
export function formatSoakReport(r: SoakReport): string {
  const { tally, options, elapsedMs: elapsed, samples } = r;
  const total = [...tally.sent.values()].reduce((a, b) => a + b, 0);
  const methods = [...tally.sent.keys()];
  return [
    `## Soak: ${(elapsed / 60_000).toFixed(1)} min, ${SDK_CLIENTS} SDK v1 sessions + ${CURRENT_CLIENTS} SDK v2 current-protocol clients + ${PLAIN_CLIENTS} plain POST clients, node ${process.version}`,
    '',
    `- ${total} requests (${((total * 1000) / elapsed).toFixed(0)} req/s), ${r.kills} replica SIGKILLs (every ${options.killEveryMs / 1000}s), ${r.reloads} config reloads (every ${options.reloadEveryMs / 1000}s)${r.reloadProblems.length ? `, failed reloads: ${r.reloadProblems.join('; ')}` : ''}`,
    '',
    '| method | sent | failed |',
    '|---|---:|---:|',
    ...methods.map((m) => `| ${m} | ${tally.sent.get(m)} | ${tally.failed.get(m) ?? 0} |`),
    '',
    `- failed idempotent requests: ${tally.idempotentFailures} (goal 0)`,
    `- tools/call lost to a replica killed mid-call (BackendUnavailable/BackendError): ${tally.backendGoneCalls}`,
    `- other failures: ${tally.errors.length}${tally.errors.length ? `\n  - ${tally.errors.join('\n  - ')}` : ''}`,
    `- memory after warm-up (${(options.warmUpMs / 1000).toFixed(0)}s), in process (gateway + clients): heap after GC ${r.heapTrend.toFixed(2)} MB/min, RSS ${r.rssTrend.toFixed(2)} MB/min`,
    `- heap after GC, MB, every ${options.sampleEveryMs / 1000}s: ${samples.map((s) => s.heap.toFixed(1)).join(' ')}`,
    `- RSS, MB, every ${options.sampleEveryMs / 1000}s: ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`,
    `- afterwards: fixture processes left ${PROCFS ? r.leftover.length : 'not checked (no /proc)'}, gateway port free ${r.portFree}, listening sockets ${r.serversAfter} (before ${r.serversBefore}), open TCP sockets ${r.socketsAfter}`,
  ].join('\n');
}

/** The command line (`--help` prints it). */
const COMMAND = {
  script: 'soak',
  summary:
    'Mixed traffic through one gateway for a long time, a backend replica killed and the config reloaded as it runs.',
  options: {
    duration: {
      type: 'string',
      default: '10m',
      value: 'DURATION',
      help: 'how long the traffic runs (the first minute, or 20 %, is warm-up)',
    },
    'kill-every': {
      type: 'string',
      default: '60s',
      value: 'DURATION',
      help: 'SIGKILL one replica of the two-replica stdio backend this often',
    },
    'reload-every': {
      type: 'string',
      default: '120s',
      value: 'DURATION',
      help: 'rewrite the config (a server in or out) and reload it this often',
    },
    'sample-every': {
      type: 'string',
      default: '5s',
      value: 'DURATION',
      help: 'read the heap after a full GC, and the RSS, this often',
    },
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

async function main(): Promise<number> {
  const { values } = benchArgs(COMMAND);
  const durationMs = durationOption('duration', values.duration, 1);
  const report = await runSoak({
    durationMs,
    killEveryMs: durationOption('kill-every', values['kill-every'], 1000),
    reloadEveryMs: durationOption('reload-every', values['reload-every'], 1000),
    sampleEveryMs: durationOption('sample-every', values['sample-every'], 1000),
    // The first minute (or 20% of a short run) is warm-up.
    warmUpMs: Math.min(60_000, durationMs * 0.2),
  });
  console.log(formatSoakReport(report));
  return soakPassed(report) ? 0 : 1;
}

// The verdict is the exit code, and the process ends with it at once (as it always has).
if (require.main === module) runBench(COMMAND.script, main, { exit: true });
