/**
 * `tools/call everything__echo` throughput and latency through the gateway, beside the HTTP floor
 * of this machine, in one run:
 *
 *   node bench/dist/toolsCall.js [--duration 5s] [--warmup 1s] [--concurrency 1,16]
 *                                [--modes floor,plain,session,registry,stdio] [--in-process]
 *                                [--gateway http://127.0.0.1:PORT/mcp]
 *
 * The floor server and the gateway (with the reference server as its stdio backend) run in this
 * process; each cell's load generator runs in its own child process (`--in-process` to compare).
 * `--gateway` drives an already running gateway instead (e.g. one started under `--cpu-prof`).
 */
import { parseDuration } from '@only1mcp/config';
import { startGateway, type RunningGateway } from '@only1mcp/gateway';
import { silentLogger } from '@only1mcp/registry';
import { parseArgs } from 'node:util';
import { arch, cpus, totalmem } from 'node:os';
import { benchConfig } from './benchConfig';
import { startFloorServer, type FloorServer } from './floorServer';
import { assertLoopback } from './jsonRpcHttpClient';
import { runInWorker, runJob, type LoadJob } from './loadWorker';
import { formatRatios, formatTable, MODES, type Row } from './report';
import type { TargetSpec } from './targets';

type ModeKey = keyof typeof MODES;

interface Options {
  durationMs: number;
  warmupMs: number;
  concurrency: number[];
  modes: ModeKey[];
  inProcess: boolean;
  gatewayUrl: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5s' },
      warmup: { type: 'string', default: '1s' },
      concurrency: { type: 'string', default: '1,16' },
      modes: { type: 'string', default: 'floor,plain,session,stdio,registry' },
      'in-process': { type: 'boolean', default: false },
      gateway: { type: 'string' },
    },
  });
  const durationMs = parseDuration(values.duration);
  const warmupMs = parseDuration(values.warmup);
  if (!durationMs || warmupMs === undefined)
    throw new Error('--duration and --warmup take durations such as 5s or 500ms');
  const concurrency = values.concurrency.split(',').map(Number);
  if (concurrency.some((n) => !Number.isInteger(n) || n < 1 || n > 1024))
    throw new Error('--concurrency takes integers 1..1024, e.g. 1,16,64');
  const modes = values.modes.split(',') as ModeKey[];
  const unknown = modes.filter((m) => !(m in MODES));
  if (unknown.length)
    throw new Error(`--modes: unknown ${unknown.join(', ')}; known: ${Object.keys(MODES).join(', ')}`);
  if (values.gateway) assertLoopback(values.gateway);
  return { durationMs, warmupMs, concurrency, modes, inProcess: values['in-process'], gatewayUrl: values.gateway };
}

/** One line naming the machine, so figures are never read without it. */
function machine(): string {
  const cpu = cpus();
  return `${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${arch()}, node ${process.version}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const needsGateway = options.modes.some((m) => m === 'plain' || m === 'session') && !options.gatewayUrl;
  let floor: FloorServer | undefined;
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    await Promise.allSettled([floor?.close(), gateway?.stop()]);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    if (options.modes.includes('floor')) floor = await startFloorServer();
    if (needsGateway) gateway = await startGateway(benchConfig(), silentLogger);
    const gatewayUrl = options.gatewayUrl ?? (gateway ? `${gateway.url}/mcp` : '');
    const specs: Record<ModeKey, () => TargetSpec> = {
      floor: () => ({ kind: 'http-plain', url: floor!.url }),
      plain: () => ({ kind: 'http-plain', url: gatewayUrl }),
      session: () => ({ kind: 'http-session', url: gatewayUrl }),
      registry: () => ({ kind: 'registry' }),
      stdio: () => ({ kind: 'stdio' }),
    };

    console.log(`machine: ${machine()}`);
    console.log(
      `load generator: ${options.inProcess ? 'in this process' : 'child process per cell'}; ${options.durationMs} ms measured after ${options.warmupMs} ms warmup per cell\n`,
    );
    const rows: Row[] = [];
    for (const mode of options.modes) {
      for (const concurrency of options.concurrency) {
        const job: LoadJob = {
          target: specs[mode](),
          concurrency,
          durationMs: options.durationMs,
          warmupMs: options.warmupMs,
        };
        const cpuBefore = process.cpuUsage();
        const result = options.inProcess ? await runJob(job) : await runInWorker(job);
        const cpu = process.cpuUsage(cpuBefore);
        // This process serves the floor and the gateway (not the backend); with the load generator
        // elsewhere its CPU time per request is a figure that noise from other processes barely moves.
        const servedHere =
          !options.inProcess && (mode === 'floor' || ((mode === 'plain' || mode === 'session') && !options.gatewayUrl));
        const serverCpuUs = servedHere && result.completed > 0 ? (cpu.user + cpu.system) / result.completed : undefined;
        rows.push({ mode: MODES[mode], result, serverCpuUs });
        console.error(
          `  ${MODES[mode]} x${concurrency}: ${result.throughput.toFixed(0)} req/s, p50 ${result.p50.toFixed(3)} ms, ${result.errors} errors`,
        );
      }
    }
    console.log(`\n${formatTable(rows)}\n`);
    const ratios = formatRatios(rows);
    if (ratios) console.log(`${ratios}\n`);
  } finally {
    await stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? String(err));
  process.exitCode = 1;
});
