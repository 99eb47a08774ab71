/**
 * How many backend processes start at once. A stdio backend's start is mostly CPU (a runtime
 * loading its code), so fifty started together on two cores share them: each takes as long as
 * all fifty, every one of them can miss `connect_timeout` together, and they all retry together
 * (measured: a gateway of 50 Node backends on 2 cores never finished starting). Taking turns
 * costs less CPU in all (fewer processes fighting over the caches and the scheduler: fifty Node
 * starts took 8 % less wall time three at a time than eight at a time, and ~17 % less than all at
 * once, docs/BENCHMARKS.md eleventh pass), each start takes about as long as it would alone, and
 * the first backends are listed early.
 *
 * A start that mostly waits (a package manager fetching a server, a runtime waiting on the
 * network) does not use the CPU its turn stands for, so while the machine has CPU to spare the
 * gate lets further starts in beyond its limit: it samples the machine's idle time while starts
 * wait, and lets one in for each half core that sat idle.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/**
 * Starts at once by default, whatever the CPU: one per core and one more, so the cores stay busy
 * through a start's moments of waiting (forking, reading its files).
 */
export const DEFAULT_CONCURRENT_STARTS = availableParallelism() + 1;

/** How often the machine's idle time is sampled while starts wait for a turn. */
export const SPARE_CPU_INTERVAL_MS = 200;

/** Cores' worth of CPU that sat idle since the previous call (0 to the number of cores). */
export type SpareCpuSampler = () => number;

/** The machine's CPU time so far, summed over its cores, in any one unit. */
export interface CpuTimes {
  idle: number;
  /** User, nice, system, idle and interrupt time: what `os.cpus()` counts. */
  all: number;
  cores: number;
}

/**
 * The machine's line of Linux's `/proc/stat` (`cpu  user nice system idle iowait irq …`, in clock
 * ticks), with the number of cores it lists; undefined for text that is not one.
 */
export function parseProcStat(text: string): CpuTimes | undefined {
  const fields = /^cpu +(\d+) (\d+) (\d+) (\d+) \d+ (\d+)/.exec(text);
  if (!fields) return undefined;
  const [user, nice, system, idle, irq] = fields.slice(1).map(Number) as [number, number, number, number, number];
  return { idle, all: user + nice + system + idle + irq, cores: Math.max(1, text.match(/^cpu\d+ /gm)?.length ?? 0) };
}

/** The same from `os.cpus()`, which works everywhere but also reads each core's model and speed. */
function osCpuTimes(): CpuTimes {
  const cores = cpus();
  let idle = 0;
  let all = 0;
  for (const { times } of cores) {
    idle += times.idle;
    all += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, all, cores: Math.max(1, cores.length) };
}

/** `/proc/stat`'s times, where there is one to read. */
function procStatTimes(): CpuTimes | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'latin1'));
  } catch {
    return undefined;
  }
}

/**
 * Samples the idle time of every core since the previous call. On Linux it reads `/proc/stat`
 * alone: `os.cpus()` reads it too, and `/proc/cpuinfo` and every core's frequency besides, twice
 * the time, sampled every 200 ms through a start-up that keeps both cores busy (50 stdio
 * backends: 5 % of the gateway's busy time in a CPU profile; docs/BENCHMARKS.md, fifteenth pass).
 */
export function machineSpareCpu(): SpareCpuSampler {
  // One source for good: their units differ (clock ticks, ms). A failed read counts as no time passed.
  const fromProcStat = procStatTimes();
  const read: () => CpuTimes = fromProcStat ? () => procStatTimes() ?? last : osCpuTimes;
  let last = fromProcStat ?? read();
  return () => {
    const now = read();
    const all = now.all - last.all;
    const share = all > 0 ? (now.idle - last.idle) / all : 0;
    last = now;
    return share * now.cores;
  };
}

/** Options of {@link StartGate}. */
export interface StartGateOptions {
  /** Where spare CPU is read from (default: the machine's cores); `false` holds to the limit. */
  spareCpu?: SpareCpuSampler | false;
  /** How often it is read while starts wait. */
  intervalMs?: number;
}

/**
 * Runs at most `limit` tasks at once, and more while the machine's CPU sits idle; the others
 * wait for a turn, first come first served.
 */
export class StartGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly spareCpu: SpareCpuSampler | undefined;
  private readonly intervalMs: number;
  private sampler: NodeJS.Timeout | undefined;
  private admittedForSpareCpu = 0;

  constructor(
    readonly limit: number = DEFAULT_CONCURRENT_STARTS,
    options: StartGateOptions = {},
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`StartGate limit must be a positive integer: ${limit}`);
    this.spareCpu = options.spareCpu === false ? undefined : (options.spareCpu ?? machineSpareCpu());
    this.intervalMs = options.intervalMs ?? SPARE_CPU_INTERVAL_MS;
  }

  /** Runs `task` when a turn is free; resolves or rejects as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    else {
      // Counted in `running` by whoever lets it in (a finishing task, or spare CPU).
      const turn = new Promise<void>((wake) => this.queue.push(wake));
      this.watchSpareCpu();
      await turn;
    }
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.admit(this.limit - this.running);
    }
  }

  /** Lets up to `count` waiting tasks in, first in line first. */
  private admit(count: number): number {
    let admitted = 0;
    while (admitted < count && this.queue.length > 0) {
      this.running += 1;
      admitted += 1;
      this.queue.shift()!();
    }
    if (this.queue.length === 0) this.stopWatching();
    return admitted;
  }

  /** While tasks wait: one more in for each half core that sat idle over the last interval. */
  private watchSpareCpu(): void {
    if (this.sampler || !this.spareCpu) return;
    const sample = this.spareCpu;
    sample(); // from now on
    this.sampler = setInterval(() => {
      this.admittedForSpareCpu += this.admit(Math.floor(sample() * 2));
    }, this.intervalMs).unref();
  }

  private stopWatching(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Tasks let in beyond the limit because the machine's CPU sat idle, since the gate was made. */
  get admittedBeyondLimit(): number {
    return this.admittedForSpareCpu;
  }
}
