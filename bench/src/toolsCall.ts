/**
 * `tools/call` echo throughput and latency through the gateway, beside the HTTP floor of this
 * machine, in one run: over Streamable HTTP (plain POST, 2025-11-25 session) and legacy SSE, to a
 * stdio and to a Streamable HTTP backend, each backend also measured alone.
 *
 *   node bench/dist/toolsCall.js [--duration 5s] [--warmup 1s] [--prime 5s] [--concurrency 1,16,64]
 *                                [--modes floor,plain,sse,session,current,plain-http,sse-http,stdio,http,registry,registry-http]
 *                                [--in-process] [--profile DIR] [--gateway http://127.0.0.1:PORT/mcp]
 *                                [--gateway-node-options=--max-semi-space-size=2] [--gateway-env MALLOC_ARENA_MAX=2]
 *                                [--no-paired-floor] [--http-backend stateless|session]
 *
 * The floor server runs in this process. Each gateway runs as `only1mcp start` in a process of its
 * own, as deployed (JSON log lines on stderr, read and dropped here), and so does the HTTP
 * backend; each cell's load generator runs in a child process too (`--in-process` to compare).
 * Before a mode's first cell, its target is primed for `--prime` (16 clients, not measured; a
 * registry mode, whose target lives in each cell's load process, is primed in that process): a
 * gateway fresh from start-up runs its code unoptimised for its first few thousand requests, and a
 * 1-client cell measured right away would time V8's compiler (its p50 fell from 1.25 to 0.69 ms
 * over four 4-second runs against one gateway), not the gateway a client meets after a minute.
 * `--profile DIR` runs the gateways under `--cpu-prof` (profiles land in DIR when they stop);
 * `--gateway` drives an already running gateway instead of the stdio-backend one.
 * `--gateway-node-options` passes Node/V8 options to the gateway processes only (the floor and
 * the load generators keep Node's defaults), to measure what such a setting costs; `--gateway-env`
 * sets environment variables (`NAME=VALUE`, space-separated) for them alone.
 * With `floor` among the modes, each gateway mode's cells at 1 and 16 clients (where the targets
 * are stated) get a floor cell measured just before them, and the targets are reported against it
 * too: on a VM whose speed drifts by a quarter within a run, a floor measured minutes earlier
 * made a mode's share of it swing with the drift (`--no-paired-floor`: the first floor only).
 * `--http-backend` picks how the HTTP backend is wired (httpEchoServer.ts): a server per request
 * (`stateless`, the default) or per session (`session`, the gateway holding one).
 */
import { resolve } from 'node:path';
import { benchArgs, durationOption, runBench, UsageError, type BenchCommand, type BenchOption } from './cli';
import { benchConfigFile, ECHO_TOOL, HTTP_ECHO_TOOL, type BenchBackend } from './benchConfig';
import { startFloorServer, type FloorServer } from './floorServer';
import { httpEchoWiring, startHttpEchoServer, type HttpEchoProcess, type HttpEchoWiring } from './httpEchoServer';
import { assertLoopback } from './jsonRpcHttpClient';
import { runInWorker, runJob, type LoadJob } from './loadWorker';
import { processCpuUs } from './processCpu';
import { formatRatios, formatTable, GATEWAY_MODES, MODES, type ModeKey, type Row } from './report';
import {
  childPids,
  GATEWAY_PROCESS_OPTIONS,
  gatewayEnv,
  gatewayNodeArgs,
  machine,
  startGatewayProcess,
  type GatewayProcess,
} from './sessions';
import type { TargetSpec } from './targets';

interface Options {
  durationMs: number;
  warmupMs: number;
  primeMs: number;
  concurrency: number[];
  modes: ModeKey[];
  inProcess: boolean;
  profileDir: string | undefined;
  gatewayUrl: string | undefined;
  /** Node options for the gateway processes only (`--gateway-node-options`), e.g. V8 heap sizes. */
  gatewayNodeOptions: string[];
  /** Environment variables for the gateway processes only (`--gateway-env`), e.g. MALLOC_ARENA_MAX. */
  gatewayEnv: Record<string, string>;
  /** Measure the floor again right before each gateway mode's cell at 1 and 16 clients (`--no-paired-floor`: once). */
  pairedFloor: boolean;
  /** How the HTTP backend is wired (`--http-backend`). */
  httpBackend: HttpEchoWiring;
}

const ALL_MODES = Object.keys(MODES).join(',');

/** Clients of the unmeasured run that primes each mode's target (`--prime`). */
const PRIME_CONCURRENCY = 16;

/** The concurrencies the targets are stated at: a gateway mode's cells there get a floor cell of their own just before. */
const PAIRED_CONCURRENCY: ReadonlySet<number> = new Set([1, 16]);

/** The command line (`--help` prints it; docs/BENCHMARKS.md, Running it, says more of each option). */
const COMMAND = {
  script: 'toolsCall',
  summary: 'tools/call throughput and latency through the gateway, beside the bare node:http floor.',
  allowNegative: true,
  options: {
    duration: {
      type: 'string',
      default: '5s',
      value: 'DURATION',
      help: 'measured time per cell (one mode at one concurrency)',
    },
    warmup: { type: 'string', default: '1s', value: 'DURATION', help: 'driven but not measured, before each cell' },
    prime: {
      type: 'string',
      default: '5s',
      value: 'DURATION',
      help: "before a mode's first cell, its target driven at 16 clients, not measured",
    },
    concurrency: { type: 'string', default: '1,16,64', value: 'N,N,…', help: 'clients per cell' },
    modes: { type: 'string', default: ALL_MODES, value: 'MODE,…', help: 'which targets to measure' },
    'in-process': {
      type: 'boolean',
      default: false,
      help: "run the load generator in the script's own process (for comparison only)",
    },
    profile: { type: 'string', value: 'DIR', help: 'run the gateways under --cpu-prof, profiles written to DIR' },
    gateway: {
      type: 'string',
      value: 'URL',
      help: 'drive an already running gateway (stdio backend, loopback only) instead of starting one',
    },
    ...GATEWAY_PROCESS_OPTIONS,
    'paired-floor': {
      type: 'boolean',
      default: true,
      help: "a floor cell measured just before each gateway mode's cells at 1 and 16 clients",
    },
    'http-backend': {
      type: 'string',
      default: 'stateless',
      value: 'WIRING',
      help: 'the HTTP backend: stateless (a server per request) or session (one per session)',
    },
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

function parseOptions(argv: string[]): Options {
  const { values } = benchArgs(COMMAND, argv);
  const durationMs = durationOption('duration', values.duration, 1);
  const warmupMs = durationOption('warmup', values.warmup);
  const primeMs = durationOption('prime', values.prime);
  const concurrency = values.concurrency.split(',').map(Number);
  if (concurrency.some((n) => !Number.isInteger(n) || n < 1 || n > 1024))
    throw new UsageError('--concurrency takes integers 1..1024, e.g. 1,16,64');
  const modes = values.modes.split(',') as ModeKey[];
  const unknown = modes.filter((m) => !(m in MODES));
  if (unknown.length) throw new UsageError(`--modes: unknown ${unknown.join(', ')}; known: ${ALL_MODES}`);
  if (values.gateway) assertLoopback(values.gateway);
  return {
    durationMs,
    warmupMs,
    primeMs,
    concurrency,
    modes,
    inProcess: values['in-process'],
    profileDir: values.profile === undefined ? undefined : resolve(values.profile),
    gatewayUrl: values.gateway,
    gatewayNodeOptions: gatewayNodeArgs(values['gateway-node-options']),
    gatewayEnv: gatewayEnv(values['gateway-env']),
    pairedFloor: values['paired-floor'],
    httpBackend: httpEchoWiring(values['http-backend'], '--http-backend'),
  };
}

/** What a mode needs running, started on first use and stopped at the end of the run. */
class Servers {
  private floor?: Promise<FloorServer>;
  private echo?: Promise<HttpEchoProcess>;
  private readonly gateways = new Map<BenchBackend['kind'], Promise<GatewayProcess>>();

  constructor(private readonly options: Options) {}

  floorServer(): Promise<FloorServer> {
    return (this.floor ??= startFloorServer());
  }

  httpBackend(): Promise<HttpEchoProcess> {
    return (this.echo ??= startHttpEchoServer(this.options.httpBackend));
  }

  /** The gateway in front of `kind`, as `only1mcp start` in its own process. */
  gateway(kind: BenchBackend['kind']): Promise<GatewayProcess> {
    let gateway = this.gateways.get(kind);
    if (!gateway) {
      const nodeArgs = [
        ...this.options.gatewayNodeOptions,
        ...(this.options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.options.profileDir}`] : []),
      ];
      gateway = (async () => {
        const backend: BenchBackend = kind === 'stdio' ? { kind } : { kind, url: (await this.httpBackend()).url };
        return startGatewayProcess(benchConfigFile(backend), nodeArgs, this.options.gatewayEnv);
      })();
      this.gateways.set(kind, gateway);
    }
    return gateway;
  }

  async stop(): Promise<void> {
    // Gateways first: the HTTP backend must outlive the gateway in front of it.
    await Promise.allSettled([...this.gateways.values()].map(async (g) => (await g).stop()));
    await Promise.allSettled([this.floor?.then((f) => f.close()), this.echo?.then((e) => e.stop())]);
  }
}

/** A cell's target, and the processes whose CPU time it is read from. */
interface Cell {
  target: TargetSpec;
  /** The serving process: this one (`self`), another (its pid), the load generator's own (`load`: the registry runs there), or none measured. */
  server?: 'self' | number | 'load';
  /** The backend's process (the HTTP backend, or the stdio backend the gateway started), when known. */
  backend?: number;
}

async function cellOf(mode: ModeKey, servers: Servers, options: Options): Promise<Cell> {
  const gatewayUrl = async (kind: BenchBackend['kind']) => {
    if (kind === 'stdio' && options.gatewayUrl) return { url: options.gatewayUrl, pid: undefined, backend: undefined };
    const gateway = await servers.gateway(kind);
    const pid = gateway.child.pid;
    // A stdio backend is the gateway's only child process.
    return { url: gateway.url, pid, backend: kind === 'stdio' && pid ? childPids(pid)[0] : undefined };
  };
  const sseUrl = (mcpUrl: string) => new URL('/sse', mcpUrl).href;
  switch (mode) {
    case 'floor':
      return { target: { kind: 'http-plain', url: (await servers.floorServer()).url }, server: 'self' };
    case 'plain': {
      const { url, pid, backend } = await gatewayUrl('stdio');
      return { target: { kind: 'http-plain', url }, server: pid, backend };
    }
    case 'sse': {
      const { url, pid, backend } = await gatewayUrl('stdio');
      return { target: { kind: 'sse', url: sseUrl(url), tool: ECHO_TOOL.public }, server: pid, backend };
    }
    case 'session': {
      const { url, pid, backend } = await gatewayUrl('stdio');
      return { target: { kind: 'http-session', url }, server: pid, backend };
    }
    case 'current': {
      const { url, pid, backend } = await gatewayUrl('stdio');
      return { target: { kind: 'http-current', url }, server: pid, backend };
    }
    case 'plain-http': {
      const { url, pid } = await gatewayUrl('http');
      const backend = (await servers.httpBackend()).child.pid;
      return { target: { kind: 'http-plain', url, tool: HTTP_ECHO_TOOL.public }, server: pid, backend };
    }
    case 'sse-http': {
      const { url, pid } = await gatewayUrl('http');
      const backend = (await servers.httpBackend()).child.pid;
      return { target: { kind: 'sse', url: sseUrl(url), tool: HTTP_ECHO_TOOL.public }, server: pid, backend };
    }
    case 'http': {
      const echo = await servers.httpBackend();
      const kind = options.httpBackend === 'session' ? 'http-session' : 'http-stateless';
      return { target: { kind, url: echo.url, tool: HTTP_ECHO_TOOL.backend }, server: echo.child.pid };
    }
    case 'stdio':
      return { target: { kind: 'stdio' } };
    case 'registry':
      return { target: { kind: 'registry' }, server: 'load' };
    case 'registry-http': {
      const echo = await servers.httpBackend();
      return { target: { kind: 'registry', url: echo.url }, server: 'load', backend: echo.child.pid };
    }
  }
}

/** CPU time so far of this process or of process `pid`, in µs. */
const cpuNow = (server: 'self' | number) => {
  if (server !== 'self') return processCpuUs(server);
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const servers = new Servers(options);
  process.once('SIGINT', () => void servers.stop().then(() => process.exit(130)));
  try {
    console.log(`machine: ${machine()}`);
    if (options.modes.some((mode) => mode.includes('http')))
      console.log(`HTTP backend: SDK v1, a server per ${options.httpBackend === 'session' ? 'session' : 'request'}`);
    console.log(
      `load generator: ${options.inProcess ? 'in this process' : 'child process per cell'}; ${options.durationMs} ms measured after ${options.warmupMs} ms warmup per cell; each mode primed for ${options.primeMs} ms at ${PRIME_CONCURRENCY} clients first\n`,
    );
    const rows: Row[] = [];
    const run = (job: LoadJob) => (options.inProcess ? runJob(job) : runInWorker(job));
    /** Measures `cell` (mode `mode`) at `concurrency`; `pairedWith`: a floor cell measured for that mode's cell. */
    const measure = async (cell: Cell, mode: ModeKey, concurrency: number, pairedWith?: ModeKey) => {
      // With the load generator in this process, this process's CPU time is no longer the server's alone.
      const server = options.inProcess && cell.server === 'self' ? undefined : cell.server;
      // A target in the load generator's own process is primed in each job's process instead.
      const inLoad = server === 'load';
      const job: LoadJob = {
        target: cell.target,
        concurrency,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        primeMs: inLoad ? options.primeMs : undefined,
      };
      const serverBefore = server === undefined || inLoad ? 0 : cpuNow(server);
      const backendBefore = cell.backend === undefined ? 0 : cpuNow(cell.backend);
      const result = await run(job);
      // CPU time per request of processes that do nothing else: noise from other processes barely moves it.
      const perRequest = (measured: 'self' | number | undefined, before: number) =>
        measured === undefined || result.completed === 0 ? undefined : (cpuNow(measured) - before) / result.completed;
      rows.push({
        mode,
        result,
        serverCpuUs: inLoad ? result.loadCpuUs : perRequest(server, serverBefore),
        backendCpuUs: perRequest(cell.backend, backendBefore),
        // In process (--in-process, or a registry mode) the load generator's CPU is not its own.
        loadCpuUs: options.inProcess || inLoad ? undefined : result.loadCpuUs,
        pairedWith,
      });
      const label = pairedWith ? `${MODES[mode]}, beside ${pairedWith}` : MODES[mode];
      console.error(
        `  ${label} x${concurrency}: ${result.throughput.toFixed(0)} req/s, p50 ${result.p50.toFixed(3)} ms, ${result.errors} errors`,
      );
    };
    // The machine's speed drifts over a run (a VM's neighbours): a gateway mode is compared with a
    // floor measured right before it as well as with the run's first (report.ts).
    const floorCell =
      options.pairedFloor && options.modes.includes('floor') ? await cellOf('floor', servers, options) : undefined;
    for (const mode of options.modes) {
      const cell = await cellOf(mode, servers, options);
      if (options.primeMs > 0 && cell.server !== 'load')
        await run({ target: cell.target, concurrency: PRIME_CONCURRENCY, durationMs: options.primeMs, warmupMs: 0 });
      for (const concurrency of options.concurrency) {
        if (floorCell && mode in GATEWAY_MODES && PAIRED_CONCURRENCY.has(concurrency))
          await measure(floorCell, 'floor', concurrency, mode);
        await measure(cell, mode, concurrency);
      }
    }
    console.log(`\n${formatTable(rows)}\n`);
    const ratios = formatRatios(rows);
    if (ratios) console.log(`${ratios}\n`);
  } finally {
    await servers.stop();
  }
}

runBench(COMMAND.script, main);
