/**
 * A closed-loop load generator: N clients, each sending one request, awaiting its answer and
 * sending the next. Closed loop (not a fixed arrival rate) because an MCP client waits for its
 * tool result; the figures therefore show what N patient clients get, not an open-loop overload.
 */

/** One request made by one client; rejects (or returns false) when the request failed. */
export type CallFn = (client: number) => Promise<boolean>;

/** How long and how hard to drive a target. */
export interface LoadOptions {
  /** Clients running concurrently, each with at most one request in flight. */
  concurrency: number;
  /** Measured time after warmup, in ms. The run stops by itself when it ends. */
  durationMs: number;
  /** Time driven but not measured (JIT, connection setup, pools), in ms. */
  warmupMs: number;
  /** Stop the measured phase after this many completed requests, if sooner than the duration. */
  maxRequests?: number;
  /** The request each client repeats. */
  call: CallFn;
}

/** What a run measured. Latencies are in milliseconds. */
export interface LoadResult {
  concurrency: number;
  /** Requests completed (ok or not) in the measured window. */
  requests: number;
  /** Requests completed in the whole run, warmup included (to divide server CPU time by). */
  completed: number;
  /** Failed requests (rejected, HTTP non-200, JSON-RPC error) in the measured window. */
  errors: number;
  /** Length of the measured window in seconds. */
  seconds: number;
  /** Successful requests per second in the measured window. */
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The q-quantile (0..1) of ascending `sorted`, nearest-rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Records latencies without reallocating on every push (a run records up to a few million). */
class LatencyLog {
  private data = new Float64Array(1 << 16);
  length = 0;

  push(ms: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = ms;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

const nowNs = () => process.hrtime.bigint();
const NS_PER_MS = 1e6;

/**
 * Drives `call` with `concurrency` clients for warmup + duration, then resolves with the measured
 * figures. Only requests that start after warmup and finish before the end are measured; requests
 * still in flight at the end are awaited (so nothing leaks) but not counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, durationMs, warmupMs, maxRequests = Number.POSITIVE_INFINITY, call } = options;
  if (!(concurrency >= 1) || !(durationMs > 0) || !(warmupMs >= 0))
    throw new RangeError('runLoad: concurrency >= 1, durationMs > 0, warmupMs >= 0');
  const latencies = new LatencyLog();
  let errors = 0;
  let completed = 0;
  let stopped = false;
  const start = nowNs();
  const measureFrom = start + BigInt(Math.round(warmupMs * NS_PER_MS));
  let measureTo = measureFrom + BigInt(Math.round(durationMs * NS_PER_MS));

  const stop = () => {
    if (stopped) return;
    stopped = true;
    const now = nowNs();
    if (now < measureTo) measureTo = now;
  };
  const timer = setTimeout(stop, warmupMs + durationMs);

  const client = async (index: number) => {
    while (!stopped) {
      const t0 = nowNs();
      let ok: boolean;
      try {
        ok = await call(index);
      } catch {
        ok = false;
      }
      const t1 = nowNs();
      completed++;
      if (t0 < measureFrom || t1 > measureTo) continue;
      if (ok) latencies.push(Number(t1 - t0) / NS_PER_MS);
      else errors++;
      if (latencies.length + errors >= maxRequests) stop();
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  } finally {
    clearTimeout(timer);
  }

  const seconds = Number(measureTo - measureFrom) / 1e9;
  const sorted = latencies.sorted();
  return {
    concurrency,
    requests: sorted.length + errors,
    completed,
    errors,
    seconds,
    throughput: seconds > 0 ? sorted.length / seconds : 0,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
