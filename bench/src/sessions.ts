/**
 * Idle 2025-11-25 sessions at scale (issue 8/8): what each held session costs the gateway in
 * memory, how long opening them takes, and whether new sessions and calls on old ones are still
 * served promptly while they are held.
 *
 *   node bench/dist/sessions.js [--sessions 10000] [--concurrency 32] [--samples 300] [--heap]
 *                               [--hibernate-after 0|10s] [--settle 20s] [--gateway-env MALLOC_ARENA_MAX=2]
 *
 * The gateway runs as its own process (`only1mcp start` with a temporary config file, the
 * reference server as its stdio backend), so its resident memory (/proc/<pid>/status VmRSS) is
 * its alone. A session is opened with raw HTTP: an `initialize` POST and its
 * `notifications/initialized`, keeping only the `Mcp-Session-Id`; no GET stream is opened.
 * The helpers that start a gateway process are exported for backends.ts. The reading with the
 * sessions held comes 8.5 s after the last opened (with `--hibernate-after 5s`); it holds the
 * garbage opening them left unless a tick of V8's memory reducer (one every 8 s) has found the
 * gateway allocating little since and collected it, so it reads one of two figures, run by run.
 * `--settle 20s` also reads the RSS after that long of quiet, once before the sessions are opened
 * (a baseline without the warm-up's garbage, against which the reading with them held is given
 * too) and once at the end, and charges them the difference: by then the gateway favours memory
 * (packages/runtime, quietMemory.ts) and V8 has collected, before as after. `--gateway-env` sets
 * environment variables (`NAME=VALUE`, space-separated) for the gateway process alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { appBin, freePort } from '@only1mcp/test-utils';
import { ECHO_TOOL, EVERYTHING_COMMAND } from './benchConfig';
import {
  benchArgs,
  countOption,
  durationOption,
  runBench,
  UsageError,
  type BenchCommand,
  type BenchOption,
} from './cli';

/** The headers every 2025-11-25 Streamable HTTP POST carries. */
const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const PROTOCOL_VERSION = '2025-11-25';

/** A process this benchmark started and must stop. */
export interface ChildHandle {
  child: ChildProcess;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and waits for its exit. */
  stop(graceMs?: number): Promise<void>;
}

/** A gateway running in its own process. */
export interface GatewayProcess extends ChildHandle {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** Milliseconds from spawning the process to its "serving MCP on" line. */
  listeningMs: number;
  /** Its working directory (temporary, removed by `stop`): where heap snapshots land. */
  dir: string;
}

/** Wraps a child so that stopping it waits for its exit. */
export function handle(child: ChildProcess): ChildHandle {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The options that shape the gateway processes a script starts (backends.js, toolsCall.js; sessions.js the environment only). */
export const GATEWAY_PROCESS_OPTIONS = {
  'gateway-node-options': {
    type: 'string',
    default: '',
    value: 'OPTIONS',
    help: 'Node/V8 options for the gateway processes only (space-separated)',
  },
  'gateway-env': {
    type: 'string',
    default: '',
    value: 'NAME=VALUE…',
    help: 'environment variables for the gateway processes only (space-separated)',
  },
} satisfies Record<string, BenchOption>;

/** `--gateway-node-options "--a=1 --b"` (backends.js, toolsCall.js) → the Node arguments it lists. */
export function gatewayNodeArgs(option: string): string[] {
  return option.split(' ').filter(Boolean);
}

/** `--gateway-env "A=1 B=2"` (backends.js, sessions.js, toolsCall.js) → the environment variables it sets. */
export function gatewayEnv(option: string): Record<string, string> {
  return Object.fromEntries(
    gatewayNodeArgs(option).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--gateway-env takes NAME=VALUE pairs, got ${JSON.stringify(pair)}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/**
 * Starts `only1mcp start` on a temporary JSON config file. `config` is the file's content as a
 * user writes it; its `server.port` is set here to a free port (the CLI does not take port 0).
 */
export async function startGatewayProcess(
  config: Record<string, unknown>,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'only1mcp-bench-'));
  const port = await freePort();
  const server = { host: '127.0.0.1', ...(config.server as object | undefined), port };
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify({ ...config, server }));
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, appBin('@only1mcp/gateway'), 'start', '--config', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: dir,
    env: { ...process.env, ...env },
  });
  const gateway = handle(child);
  const stop = gateway.stop;
  gateway.stop = async (graceMs) => {
    await stop(graceMs);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        // Keep the tail only: a long run may log, and the line sought comes early.
        text = (text + chunk).slice(-16_384);
        const match = /serving MCP on (\S+)/.exec(text);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited (${code}) before serving:\n${text}`)));
    });
    return { ...gateway, url, listeningMs: performance.now() - started, dir };
  } catch (err) {
    await gateway.stop();
    throw err;
  }
}

/** Resident memory of one process in KiB (VmRSS), and its peak (VmHWM). */
export function memoryOf(pid: number): { rssKb: number; peakKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/** The processes a process started (its direct children), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The value at percentile `p` of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A Markdown table, columns padded so the text reads as a table too. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** One line naming the machine, so figures are never read without it. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${arch()}, node ${process.version}`;
}

/** Opens one 2025-11-25 session (initialize + notifications/initialized); returns its id. */
async function openSession(url: string): Promise<string> {
  const init = await fetch(url, {
    method: 'POST',
    headers: POST_HEADERS,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'bench-sessions', version: '1' },
      },
    }),
  });
  const body = await init.text();
  const id = init.headers.get('mcp-session-id');
  if (!init.ok || !id) throw new Error(`initialize: HTTP ${init.status} without a session id: ${body.slice(0, 200)}`);
  const done = await fetch(url, {
    method: 'POST',
    headers: { ...POST_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': PROTOCOL_VERSION },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await done.text();
  if (done.status !== 202) throw new Error(`notifications/initialized: HTTP ${done.status}`);
  return id;
}

let nextId = 2;

/** `tools/call everything__echo` on an open session; throws unless the echo comes back. */
async function callEcho(url: string, session: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...POST_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL_VERSION },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method: 'tools/call',
      params: { name: ECHO_TOOL.public, arguments: { message: 'hi' } },
    }),
  });
  const body = await res.text();
  if (!res.ok || !body.includes('Echo: hi')) throw new Error(`tools/call: HTTP ${res.status}: ${body.slice(0, 200)}`);
}

/** Runs `task` `count` times, at most `concurrency` at once; returns the results in order. */
async function bounded<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Latency of `samples` sequential runs of `task`, in ms: [p50, p95]. */
async function latency(samples: number, task: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await task(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 50), percentile(times, 95)];
}

/**
 * Makes the gateway collect garbage (a heap snapshot, on SIGUSR2, starts with a full GC) and
 * returns its V8 heap in use afterwards, from its own /metrics, in KiB.
 */
export async function afterGc(gateway: GatewayProcess): Promise<{ heapKb: number }> {
  const before = new Set(readdirSync(gateway.dir));
  process.kill(gateway.child.pid!, 'SIGUSR2');
  while (!readdirSync(gateway.dir).some((f) => f.endsWith('.heapsnapshot') && !before.has(f))) await sleep(50);
  // The snapshot is written on the gateway's only JS thread, so this answer comes after it.
  const metrics = await gatewayMetrics(gateway.url);
  for (const f of readdirSync(gateway.dir)) if (f.endsWith('.heapsnapshot')) rmSync(join(gateway.dir, f));
  const used = /nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+)/.exec(metrics)?.[1];
  if (!used) throw new Error('no nodejs_heap_size_used_bytes in the gateway /metrics');
  return { heapKb: Number(used) / 1024 };
}

/** The gateway's /metrics text (`url` is any URL of the gateway). */
export async function gatewayMetrics(url: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(new URL('/metrics', url))).text();
    } catch (err) {
      // A kept-alive socket the gateway closed while it was paused: retry on a new one.
      if (attempt === 3) throw err;
    }
  }
}

/**
 * The gateway's V8 heap spaces now, from its /metrics: "new 32.0/1.0, old 45.7/26.5, …" in MiB,
 * reserved/in use (in use counts garbage not yet collected). Where RSS goes that RSS alone hides.
 */
export async function heapSpaces(url: string): Promise<string> {
  const metrics = await gatewayMetrics(url);
  const read = (kind: 'total' | 'used', space: string) =>
    Number(new RegExp(`nodejs_heap_space_size_${kind}_bytes\\{space="${space}"\\} (\\d+)`).exec(metrics)?.[1] ?? NaN);
  return ['new', 'old', 'code', 'large_object']
    .map(
      (space) =>
        `${space} ${(read('total', space) / 2 ** 20).toFixed(1)}/${(read('used', space) / 2 ** 20).toFixed(1)}`,
    )
    .join(', ');
}

const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command line (`--help` prints it; the file's comment says more of each option). */
const COMMAND = {
  script: 'sessions',
  summary: 'Idle 2025-11-25 sessions held by one gateway: memory per session, and calls served while they are held.',
  options: {
    sessions: { type: 'string', default: '10000', value: 'N', help: 'sessions opened and held' },
    concurrency: { type: 'string', default: '32', value: 'N', help: 'sessions opened at once' },
    samples: { type: 'string', default: '300', value: 'N', help: 'new sessions and calls timed while they are held' },
    // Heap snapshots (for a full GC) inflate the RSS read after them: heap figures are a separate run.
    heap: {
      type: 'boolean',
      default: false,
      help: "the gateway's heap after a full GC too (a separate run: it inflates the RSS)",
    },
    // server.session_hibernate_after: 0 keeps every session awake (an SDK server each); with a
    // duration, memory is read once the sessions opened have had time to fall asleep.
    'hibernate-after': {
      type: 'string',
      default: '0',
      value: 'DURATION',
      help: "the gateway's server.session_hibernate_after (0: every session stays awake)",
    },
    settle: {
      type: 'string',
      default: '0s',
      value: 'DURATION',
      help: 'also read the RSS after this long of quiet, before and after',
    },
    'gateway-env': GATEWAY_PROCESS_OPTIONS['gateway-env'],
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

async function main(): Promise<void> {
  const { values } = benchArgs(COMMAND);
  const sleepAfterMs = durationOption('hibernate-after', values['hibernate-after']);
  const settleMs = durationOption('settle', values.settle);
  const total = countOption('sessions', values.sessions, 1);
  const concurrency = countOption('concurrency', values.concurrency, 1);
  const samples = countOption('samples', values.samples, 1);
  const gateway = await startGatewayProcess(
    {
      server: { session_idle_timeout: '1h', session_hibernate_after: sleepAfterMs },
      health: { enabled: false },
      logging: { level: 'warn' },
      servers: [{ id: 'everything', transport: 'stdio', ...EVERYTHING_COMMAND }],
    },
    values.heap ? ['--heapsnapshot-signal=SIGUSR2'] : [],
    gatewayEnv(values['gateway-env']),
  );
  const pid = gateway.child.pid!;
  process.once('SIGINT', () => void gateway.stop().then(() => process.exit(130)));
  try {
    // The gateway hands start-up's memory back at its first quiet half second (packages/runtime,
    // compactHeap.ts): let it, so that it happens before the warm-up, as it did at once before the
    // twelfth pass of 8/8. Otherwise the pause before the baseline reading sets it off, the baseline
    // is read without the young generation a serving gateway has, and each session is charged for it.
    await sleep(1_500);
    // Warm up the paths measured (JIT, pools, the backend) with sessions that are then held too,
    // so the baseline is a gateway that has served sessions and calls, not a cold one.
    const warm = await bounded(100, concurrency, () => openSession(gateway.url));
    for (const session of warm) await callEcho(gateway.url, session);
    const idleSessionBefore = await latency(samples, () => openSession(gateway.url));
    const callBefore = await latency(samples, (i) => callEcho(gateway.url, warm[i % warm.length]!));
    await sleep(1_000);
    const before = memoryOf(pid);
    // The settled reading's baseline is settled too: the same quiet, so the same collections.
    if (settleMs > 0) await sleep(settleMs);
    const beforeSettled = settleMs > 0 ? memoryOf(pid) : undefined;
    const gcBefore = values.heap ? await afterGc(gateway) : undefined;
    const held = warm.length + samples;

    const t0 = performance.now();
    const sessions = await bounded(total, concurrency, () => openSession(gateway.url));
    const openMs = performance.now() - t0;
    // Long enough for the last session opened to fall asleep: the reaper runs every quarter of it.
    await sleep(sleepAfterMs > 0 ? sleepAfterMs * 1.5 + 1_000 : 1_000);
    const after = memoryOf(pid);
    const gcAfter = values.heap ? await afterGc(gateway) : undefined;

    const newSession = await latency(samples, () => openSession(gateway.url));
    const callAfter = await latency(samples, (i) => callEcho(gateway.url, sessions[(i * 7919) % sessions.length]!));
    const end = memoryOf(pid);
    if (settleMs > 0) await sleep(settleMs);
    const settled = settleMs > 0 ? memoryOf(pid) : undefined;

    const perSession = (withThem: { rssKb: number }, baseline: { rssKb: number }, count: number) =>
      ((withThem.rssKb - baseline.rssKb) / count).toFixed(1);
    process.stdout.write(
      `sessions benchmark: ${total.toLocaleString('en-US')} idle 2025-11-25 sessions (+${held} opened before), ` +
        `${concurrency} opened at a time, session_hibernate_after ${sleepAfterMs > 0 ? `${sleepAfterMs} ms` : 'off'}; ` +
        `gateway pid ${pid}, own process; ${machine()}\n\n`,
    );
    process.stdout.write(
      markdownTable(
        ['figure', 'value'],
        [
          ['gateway RSS before (listening, 1 stdio backend)', mib(before.rssKb)],
          ...(beforeSettled ? [[`the same after ${values.settle} of quiet`, mib(beforeSettled.rssKb)]] : []),
          [`gateway RSS with ${total.toLocaleString('en-US')} more sessions held`, mib(after.rssKb)],
          ['RSS per held session', `${perSession(after, before, total)} KiB`],
          ...(beforeSettled
            ? [['the same against the quiet baseline', `${perSession(after, beforeSettled, total)} KiB`]]
            : []),
          ...(gcBefore && gcAfter
            ? [
                ['(--heap: RSS figures above are inflated by the snapshots)', ''],
                [
                  'V8 heap in use after a full GC, before / with them',
                  `${mib(gcBefore.heapKb)} / ${mib(gcAfter.heapKb)}`,
                ],
                [
                  'heap retained per held session (after GC)',
                  `${((gcAfter.heapKb - gcBefore.heapKb) / total).toFixed(1)} KiB`,
                ],
              ]
            : []),
          ['gateway RSS at the end / peak', `${mib(end.rssKb)} / ${mib(end.peakKb)}`],
          ...(settled && beforeSettled
            ? [
                [`gateway RSS after ${values.settle} more of quiet`, mib(settled.rssKb)],
                [
                  'RSS per held session, both readings quiet',
                  `${perSession(settled, beforeSettled, total + samples)} KiB`,
                ],
              ]
            : []),
          [
            `time to open ${total.toLocaleString('en-US')} sessions`,
            `${(openMs / 1000).toFixed(1)} s (${((total / openMs) * 1000).toFixed(0)} sessions/s)`,
          ],
        ],
      ) + '\n\n',
    );
    const ms = ([p50, p95]: [number, number]) => [p50.toFixed(2), p95.toFixed(2)];
    process.stdout.write(
      markdownTable(
        [
          'sequential, one at a time',
          `p50 ms (${held} held)`,
          `p95 ms (${held} held)`,
          `p50 ms (${total + held} held)`,
          `p95 ms (${total + held} held)`,
        ],
        [
          ['new session (initialize + initialized)', ...ms(idleSessionBefore), ...ms(newSession)],
          [`tools/call ${ECHO_TOOL.public} on a held session`, ...ms(callBefore), ...ms(callAfter)],
        ],
      ) + '\n',
    );
  } finally {
    await gateway.stop();
  }
}

if (require.main === module) {
  runBench(COMMAND.script, main);
}
