/**
 * The figures of a run as a Markdown table plus the two ratios the targets are stated in, so the
 * output can be pasted into docs/BENCHMARKS.md as it is.
 */
import type { LoadResult } from './loadGenerator';

/** One measured cell: a mode at one concurrency. */
export interface Row {
  mode: string;
  result: LoadResult;
  /** CPU time (user + system) the serving process spent per request, in µs, when it was measured. */
  serverCpuUs?: number;
}

/** Mode names, shared by the script and the report. */
export const MODES = {
  floor: 'floor (bare node:http)',
  plain: 'gateway, plain POST',
  session: 'gateway, 2025-11-25 session',
  registry: 'registry in process (no HTTP)',
  stdio: 'backend over stdio (no SDK)',
} as const;

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(3));

/** The table of every cell. */
export function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| mode | clients | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { mode, result: r, serverCpuUs } of rows) {
    const cpu = serverCpuUs === undefined ? '-' : serverCpuUs.toFixed(0);
    lines.push(
      `| ${mode} | ${r.concurrency} | ${r.throughput.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.errors} | ${cpu} |`,
    );
  }
  return lines.join('\n');
}

const find = (rows: readonly Row[], mode: string, concurrency: number) =>
  rows.find((r) => r.mode === mode && r.result.concurrency === concurrency)?.result;

/**
 * The targets: throughput at 16 clients as a share of the floor's (goal >= 40%), and the p50 the
 * gateway adds at 1 client (goal < 0.5 ms), both over the floor and, when the backend was measured
 * alone, over floor + backend (what the gateway itself adds).
 */
export function formatRatios(rows: readonly Row[]): string {
  const lines: string[] = [];
  const floor16 = find(rows, MODES.floor, 16);
  const floor1 = find(rows, MODES.floor, 1);
  const stdio1 = find(rows, MODES.stdio, 1);
  for (const mode of [MODES.plain, MODES.session]) {
    const at16 = find(rows, mode, 16);
    const at1 = find(rows, mode, 1);
    if (floor16 && at16) {
      const share = (100 * at16.throughput) / floor16.throughput;
      lines.push(
        `- ${mode}: throughput at 16 clients = ${share.toFixed(1)}% of the floor (goal >= 40%: ${share >= 40 ? 'met' : 'NOT met'})`,
      );
    }
    if (floor1 && at1) {
      const added = at1.p50 - floor1.p50;
      lines.push(
        `- ${mode}: p50 at 1 client = floor + ${added.toFixed(3)} ms (goal < 0.5 ms: ${added < 0.5 ? 'met' : 'NOT met'})`,
      );
      if (stdio1)
        lines.push(
          `  of which the backend over stdio alone is ${stdio1.p50.toFixed(3)} ms, leaving ${(added - stdio1.p50).toFixed(3)} ms added by the gateway itself`,
        );
    }
  }
  return lines.join('\n');
}
