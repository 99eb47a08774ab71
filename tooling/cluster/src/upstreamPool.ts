/**
 * The Node balancer's view of the replicas: active health checks on `GET /ready` (like HAProxy's
 * `option httpchk`), round robin over the healthy ones, and passive marking-down when a replica
 * refuses a connection, so a dead replica stops getting traffic before its next check.
 */
import { request } from 'node:http';
import type { Upstream } from './balancer';
import { GATEWAY_PATHS } from './gatewayPaths';

/** Options for {@link UpstreamPool}. */
export interface UpstreamPoolOptions {
  upstreams: Upstream[];
  /** Time between checks of each replica. */
  checkIntervalMs: number;
  /** Failed checks in a row that take a replica out (HAProxy's `fall`). */
  fall?: number;
  /** Passed checks in a row that bring it back (HAProxy's `rise`). */
  rise?: number;
}

interface UpstreamState {
  upstream: Upstream;
  healthy: boolean;
  passes: number;
  failures: number;
}

/** True when GET `url` answers 200 within `timeoutMs`; a fresh connection each time, as a probe should. */
function probe(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** Health-checked replicas with round robin over the healthy ones. */
export class UpstreamPool {
  private readonly states: UpstreamState[];
  private readonly fall: number;
  private readonly rise: number;
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  /** Every replica starts out of rotation until its first check passes. */
  constructor(private readonly options: UpstreamPoolOptions) {
    this.states = options.upstreams.map((upstream) => ({ upstream, healthy: false, passes: 0, failures: 0 }));
    this.fall = options.fall ?? 2;
    this.rise = options.rise ?? 1;
  }

  /** Runs a first round of checks, then keeps checking every interval. */
  async start(): Promise<void> {
    await this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  /** Stops checking. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** The next healthy replica in round-robin order, skipping `exclude`; undefined when none is left. */
  next(exclude: ReadonlySet<string> = new Set()): Upstream | undefined {
    for (let i = 0; i < this.states.length; i++) {
      const state = this.states[(this.cursor + i) % this.states.length]!;
      if (state.healthy && !exclude.has(state.upstream.name)) {
        this.cursor = (this.cursor + i + 1) % this.states.length;
        return state.upstream;
      }
    }
    return undefined;
  }

  /** The replica called `name`, when it is healthy. */
  healthyByName(name: string): Upstream | undefined {
    const state = this.states.find((s) => s.upstream.name === name);
    return state?.healthy ? state.upstream : undefined;
  }

  /** Names of the replicas in rotation. */
  healthyNames(): string[] {
    return this.states.filter((s) => s.healthy).map((s) => s.upstream.name);
  }

  /** Takes a replica out at once (it refused a connection); checks bring it back. */
  markDown(name: string): void {
    const state = this.states.find((s) => s.upstream.name === name);
    if (state) Object.assign(state, { healthy: false, passes: 0 });
  }

  private async checkAll(): Promise<void> {
    // A slow round (probes waiting for their timeout) is not overlapped by the next one.
    if (this.checking) return;
    this.checking = true;
    const timeoutMs = Math.max(this.options.checkIntervalMs, 500);
    await Promise.all(
      this.states.map(async (state) => {
        if (await probe(`${state.upstream.url}${GATEWAY_PATHS.ready}`, timeoutMs)) {
          state.failures = 0;
          if (++state.passes >= this.rise) state.healthy = true;
        } else {
          state.passes = 0;
          if (++state.failures >= this.fall) state.healthy = false;
        }
      }),
    );
    this.checking = false;
  }
}
