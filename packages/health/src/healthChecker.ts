/**
 * Active health checking: probes every target each interval, applies the thresholds, writes every
 * result to the HealthStore and reports status changes. Probes are injected (the registry supplies
 * MCP pings), so this file knows nothing about transports.
 *
 * The first round probes every target at once (their status is wanted soon after start-up); each
 * later round spreads its probes evenly over the interval, so each target is still probed once
 * per interval, but a hundred backends are not pinged in the same millisecond: no burst of
 * probes competing with clients' calls on the event loop, against backends sharing a host, or in
 * flight together across a young-generation GC (which promotes them all to the old generation).
 */
import { systemClock, type Clock } from './clock';
import type { HealthRecord } from './healthRecord';
import type { HealthStore } from './healthStore';
import { errorMessage, silentLogger, type Logger } from '@only1mcp/logger';
import { initialTargetHealth, nextTargetHealth, type ProbeResult, type TargetHealth } from './targetHealth';

/** One backend replica to probe. */
export interface HealthTarget {
  /** `serverId#index`. */
  id: string;
  /** Resolves when the replica answers; must stop work when `signal` aborts. */
  probe(signal: AbortSignal): Promise<void>;
}

/** Timing and thresholds, from config `interval`, `timeout`, `unhealthy_threshold`, `healthy_threshold`. */
export interface HealthCheckerOptions {
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

/** Collaborators of a {@link HealthChecker}. */
export interface HealthCheckerDeps {
  /** The current targets, asked for at every round (backends come and go with config reloads). */
  targets: () => Iterable<HealthTarget>;
  store: HealthStore;
  /** Identifies this checker in records (`checkedBy`). */
  checkedBy: string;
  /** Called when a target's status changes (not on every result). */
  onChange?: (record: HealthRecord) => void;
  /** Called with every probe's outcome (for metrics); `id` is the target's. */
  onProbe?: (id: string, ok: boolean) => void;
  clock?: Clock;
  logger?: Logger;
}

/** Raised into a probe's signal when it runs past `timeoutMs`. */
export class ProbeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`health probe timed out after ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

const STOPPED = Symbol('stopped');

/** Probes targets on a timer (`start`/`stop`) or on demand (`runOnce`). */
export class HealthChecker {
  private readonly states = new Map<string, TargetHealth>();
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  /** Probes of the current round still waiting for their turn. */
  private readonly turns = new Set<NodeJS.Timeout>();
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(
    private readonly options: HealthCheckerOptions,
    private readonly deps: HealthCheckerDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  /** Probes now and then every `intervalMs`; calling it twice changes nothing. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runSpread(), this.options.intervalMs);
    // The gateway's server keeps the process alive; the checker alone should not.
    this.timer.unref();
    void this.runOnce();
  }

  /** Stops the timer and aborts probes in flight (their results are discarded). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const turn of this.turns) clearTimeout(turn);
    this.turns.clear();
    const pending = [...this.inFlight.values()];
    for (const { controller } of pending) controller.abort(STOPPED);
    await Promise.all(pending.map((p) => p.done));
  }

  /**
   * Probes every current target once and resolves when all results are stored. A target whose
   * previous probe is still running is skipped rather than probed twice.
   */
  async runOnce(): Promise<void> {
    await Promise.all(this.currentTargets().map((t) => this.checkUnlessRunning(t)));
  }

  /** A round on the timer: target k of n is probed k × interval / n into it (see the header). */
  private runSpread(): void {
    const targets = this.currentTargets();
    const gapMs = this.options.intervalMs / targets.length;
    targets.forEach((target, k) => {
      if (k === 0) return void this.checkUnlessRunning(target);
      const turn = setTimeout(
        () => {
          this.turns.delete(turn);
          void this.checkUnlessRunning(target);
        },
        Math.floor(k * gapMs),
      );
      turn.unref();
      this.turns.add(turn);
    });
  }

  /** The targets of a new round; what is known of targets no longer listed is forgotten. */
  private currentTargets(): HealthTarget[] {
    const targets = [...this.deps.targets()];
    const ids = new Set(targets.map((t) => t.id));
    for (const id of this.states.keys()) if (!ids.has(id)) this.states.delete(id);
    return targets;
  }

  /** A target whose previous probe is still running is skipped rather than probed twice. */
  private checkUnlessRunning(target: HealthTarget): Promise<void> {
    return this.inFlight.has(target.id) ? Promise.resolve() : this.check(target);
  }

  /** What the checker currently knows about one target. */
  health(id: string): TargetHealth | undefined {
    return this.states.get(id);
  }

  /** What the checker currently knows about every probed target. */
  healthAll(): TargetHealth[] {
    return [...this.states.values()];
  }

  private check(target: HealthTarget): Promise<void> {
    const controller = new AbortController();
    const done = this.probe(target, controller).then((result) =>
      result === STOPPED ? undefined : this.record(target.id, result),
    );
    const entry = { controller, done: done.finally(() => this.inFlight.delete(target.id)) };
    this.inFlight.set(target.id, entry);
    return entry.done;
  }

  private async probe(target: HealthTarget, controller: AbortController): Promise<ProbeResult | typeof STOPPED> {
    const { timeoutMs } = this.options;
    const timer = setTimeout(() => controller.abort(new ProbeTimeoutError(timeoutMs)), timeoutMs);
    // Racing the abort means a probe that ignores its signal still cannot hold up the round.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    const started = this.clock.now();
    try {
      await Promise.race([target.probe(controller.signal), aborted]);
      return { ok: true, latencyMs: Math.max(0, this.clock.now() - started) };
    } catch (err) {
      if (controller.signal.reason === STOPPED) return STOPPED;
      return { ok: false, error: errorMessage(controller.signal.aborted ? controller.signal.reason : err) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async record(id: string, result: ProbeResult): Promise<void> {
    this.deps.onProbe?.(id, result.ok);
    const previous = this.states.get(id) ?? initialTargetHealth(id);
    const next = nextTargetHealth(previous, result, this.clock.now(), this.options);
    this.states.set(id, next);
    const record: HealthRecord = {
      id,
      status: next.status,
      lastCheck: next.lastCheck,
      checkedBy: this.deps.checkedBy,
      ...(next.latencyMs !== undefined && { latencyMs: next.latencyMs }),
      ...(next.lastError !== undefined && { lastError: next.lastError }),
    };
    if (next.status !== previous.status) {
      this.logger.info('backend health changed', { id, from: previous.status, to: next.status, error: next.lastError });
      try {
        this.deps.onChange?.(record);
      } catch (err) {
        this.logger.warn('health onChange failed', { id, error: errorMessage(err) });
      }
    }
    try {
      await this.deps.store.put(record);
    } catch (err) {
      // Stores are meant to fail open already; this guards one that does not.
      this.logger.warn('health store put failed', { id, error: errorMessage(err) });
    }
  }
}
