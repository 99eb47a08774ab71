/**
 * The figures of a run as a Markdown table plus the two ratios the targets are stated in, so the
 * output can be pasted into docs/BENCHMARKS.md as it is.
 */
import type { LoadResult } from './loadGenerator';

/** Mode names, shared by the script and the report. */
export const MODES = {
  floor: 'floor (bare node:http)',
  plain: 'gateway, plain POST, stdio backend',
  sse: 'gateway, legacy SSE, stdio backend',
  'plain-http': 'gateway, plain POST, HTTP backend',
  'sse-http': 'gateway, legacy SSE, HTTP backend',
  session: 'gateway, 2025-11-25 session, stdio backend',
  current: 'gateway, 2026-07-28 stateless, stdio backend',
  stdio: 'backend over stdio (no SDK)',
  http: 'backend over HTTP (SDK v1, alone)',
  registry: 'registry in process (no HTTP)',
  'registry-http': 'registry in process, HTTP backend (no front)',
} as const;

/** A mode's key, as `--modes` takes it. */
export type ModeKey = keyof typeof MODES;

/** The gateway modes, each with the mode that measures its backend alone. */
export const GATEWAY_MODES: Readonly<Partial<Record<ModeKey, ModeKey>>> = {
  plain: 'stdio',
  sse: 'stdio',
  'plain-http': 'http',
  'sse-http': 'http',
  session: 'stdio',
  current: 'stdio',
};

/** The targets of issue 8/8. */
export const GOALS = {
  /** Throughput at 16 clients, as a share of the floor's, at least (%). */
  shareAt16: 50,
  /** p50 added to the floor's at 1 client, under (ms). */
  addedP50At1: 0.3,
} as const;

/** One measured cell: a mode at one concurrency. */
export interface Row {
  mode: ModeKey;
  result: LoadResult;
  /** CPU time (user + system) the serving process spent per request, in µs, when it was measured. */
  serverCpuUs?: number;
  /** CPU time the backend's process (the HTTP backend, or the gateway's stdio child) spent per request, in µs, when measured. */
  backendCpuUs?: number;
  /** CPU time the load generator's process spent per request, in µs, when measured. */
  loadCpuUs?: number;
  /** A floor cell measured right before this gateway mode's cell at the same concurrency. */
  pairedWith?: ModeKey;
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(3));
const us = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));

/** The table of every cell. */
export function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| mode | clients | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/req | backend CPU µs/req | load generator CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { mode, result: r, serverCpuUs, backendCpuUs, loadCpuUs, pairedWith } of rows) {
    const name = pairedWith ? `${MODES[mode]}, beside ${pairedWith}` : MODES[mode];
    lines.push(
      `| ${name} | ${r.concurrency} | ${r.throughput.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.errors} | ${us(serverCpuUs)} | ${us(backendCpuUs)} | ${us(loadCpuUs)} |`,
    );
  }
  return lines.join('\n');
}

/** The cell of `mode` at `concurrency`; for the floor, the run's first (not one paired with a mode). */
const findRow = (rows: readonly Row[], mode: ModeKey, concurrency: number) =>
  rows.find((r) => r.mode === mode && r.result.concurrency === concurrency && r.pairedWith === undefined);
const find = (rows: readonly Row[], mode: ModeKey, concurrency: number) => findRow(rows, mode, concurrency)?.result;
/** The floor cell measured right before `mode`'s cell at `concurrency`, when there is one. */
const pairedFloor = (rows: readonly Row[], mode: ModeKey, concurrency: number) =>
  rows.find((r) => r.mode === 'floor' && r.pairedWith === mode && r.result.concurrency === concurrency);

/** The machine's CPU time per request of a cell (server + backend + load generator), when all were measured. */
function machineCpuUs(row: Row | undefined, withBackend: boolean): number | undefined {
  if (row?.serverCpuUs === undefined || row.loadCpuUs === undefined) return undefined;
  if (withBackend && row.backendCpuUs === undefined) return undefined;
  return row.serverCpuUs + (row.backendCpuUs ?? 0) + row.loadCpuUs;
}

/**
 * What the CPU alone allows a mode at `clients`: its processes' CPU time per request against the
 * floor's. Where both are bound by the machine's CPU, their throughputs stand in the inverse ratio.
 */
function cpuBound(rows: readonly Row[], mode: ModeKey, clients: number): string | undefined {
  const floor = machineCpuUs(pairedFloor(rows, mode, clients) ?? findRow(rows, 'floor', clients), false);
  const cell = findRow(rows, mode, clients);
  const total = machineCpuUs(cell, true);
  if (floor === undefined || total === undefined || !cell) return undefined;
  return `  CPU per request at ${clients} clients: gateway ${us(cell.serverCpuUs)} + backend ${us(cell.backendCpuUs)} + load generator ${us(cell.loadCpuUs)} = ${us(total)} µs, the floor’s ${us(floor)} µs: bound by CPU alone, at most ${((100 * floor) / total).toFixed(1)}% of the floor`;
}

/**
 * The targets, per gateway mode: throughput at 16 clients (and 64, for the record) as a share of
 * the floor's, and the p50 the gateway adds at 1 client, over the floor and, when its backend was
 * measured alone, over floor + backend (what the gateway itself adds). Where a floor cell was
 * measured right before the mode's (`pairedWith`), the goal is judged against it, and the share
 * against the run's first floor follows in brackets.
 */
export function formatRatios(rows: readonly Row[]): string {
  const lines: string[] = [];
  for (const [mode, backend] of Object.entries(GATEWAY_MODES) as [ModeKey, ModeKey][]) {
    for (const clients of [16, 64]) {
      const first = find(rows, 'floor', clients);
      const paired = pairedFloor(rows, mode, clients)?.result;
      const floor = paired ?? first;
      const cell = find(rows, mode, clients);
      if (!floor || !cell) continue;
      const share = (100 * cell.throughput) / floor.throughput;
      const goal =
        clients === 16 ? ` (goal >= ${GOALS.shareAt16}%: ${share >= GOALS.shareAt16 ? 'met' : 'NOT met'})` : '';
      const against = paired
        ? ` measured beside it${first ? ` (${((100 * cell.throughput) / first.throughput).toFixed(1)}% of the run’s first)` : ''}`
        : '';
      lines.push(
        `- ${MODES[mode]}: throughput at ${clients} clients = ${share.toFixed(1)}% of the floor${against}${goal}`,
      );
      const bound = clients === 16 ? cpuBound(rows, mode, clients) : undefined;
      if (bound) lines.push(bound);
    }
    const at1 = find(rows, mode, 1);
    const floor1 = pairedFloor(rows, mode, 1)?.result ?? find(rows, 'floor', 1);
    if (floor1 && at1) {
      const added = at1.p50 - floor1.p50;
      const met = added < GOALS.addedP50At1 ? 'met' : 'NOT met';
      const beside = pairedFloor(rows, mode, 1)
        ? ` (the floor measured beside it, p50 ${floor1.p50.toFixed(3)} ms)`
        : '';
      lines.push(
        `- ${MODES[mode]}: p50 at 1 client = floor + ${added.toFixed(3)} ms${beside} (goal < ${GOALS.addedP50At1} ms: ${met})`,
      );
      const alone = find(rows, backend, 1);
      if (alone)
        lines.push(
          `  of which the ${MODES[backend]} alone is ${alone.p50.toFixed(3)} ms, leaving ${(added - alone.p50).toFixed(3)} ms added by the gateway itself`,
        );
    }
  }
  return lines.join('\n');
}
