/**
 * The load generator's own process. Forked by {@link runInWorker}: it receives one job over IPC,
 * drives the target, sends the figures back and exits. A separate process because on a small
 * machine a load generator inside the gateway's process takes CPU from the gateway it measures.
 */
import { fork } from 'node:child_process';
import { runLoad, type LoadResult } from './loadGenerator';
import { createTarget, type TargetSpec } from './targets';

/** One measurement: a target and how to drive it. */
export interface LoadJob {
  target: TargetSpec;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /**
   * Driven first at the same concurrency, not measured, in the same process: what primes a
   * target that lives in the load generator's process (the registry), as `--prime` primes a gateway.
   */
  primeMs?: number;
}

type WorkerReply = { ok: true; result: JobResult } | { ok: false; error: string };

/** What a job measured: the load's figures, and the CPU time its own process spent per request (warmup included). */
export type JobResult = LoadResult & { loadCpuUs: number };

/** Runs `job` in this process. */
export async function runJob(job: LoadJob): Promise<JobResult> {
  const target = await createTarget(job.target, job.concurrency);
  try {
    if (job.primeMs)
      await runLoad({ concurrency: job.concurrency, durationMs: job.primeMs, warmupMs: 0, call: target.call });
    const before = process.cpuUsage();
    const result = await runLoad({
      concurrency: job.concurrency,
      durationMs: job.durationMs,
      warmupMs: job.warmupMs,
      call: target.call,
    });
    const cpu = process.cpuUsage(before);
    return { ...result, loadCpuUs: result.completed === 0 ? 0 : (cpu.user + cpu.system) / result.completed };
  } finally {
    await target.close();
  }
}

/** Runs `job` in a fresh child process and resolves with its figures. */
export function runInWorker(job: LoadJob): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    // A worker that hangs past its own bounds is killed, so the run always ends.
    const limit = setTimeout(() => child.kill('SIGKILL'), job.warmupMs + job.durationMs + 60_000);
    let settled = false;
    child.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else reject(new Error(reply.error));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      if (!settled) reject(new Error(`load worker exited (${signal ?? code}) without a result`));
    });
    child.send(job);
  });
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    runJob(job).then(
      (result) => process.send!({ ok: true, result } satisfies WorkerReply, () => process.exit(0)),
      (err: Error) =>
        process.send!({ ok: false, error: err.stack ?? String(err) } satisfies WorkerReply, () => process.exit(1)),
    );
  });
}
