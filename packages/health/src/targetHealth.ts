/**
 * The threshold rule, as a pure function so it can be read and tested on its own.
 *
 * From `unknown` the first result decides: with no established state there is nothing for the
 * thresholds to protect against flapping, and waiting would keep routing to a replica that is
 * down at start-up. Once healthy or unhealthy, the status flips only after `unhealthyThreshold`
 * consecutive failures or `healthyThreshold` consecutive successes.
 */
import type { HealthStatus } from './healthRecord';

/** What the checker remembers about one target between probes. */
export interface TargetHealth {
  id: string;
  status: HealthStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Epoch ms when the latest probe finished; 0 before the first. */
  lastCheck: number;
  /** Duration of the latest probe, when it succeeded. */
  latencyMs?: number;
  /** Why the latest probe failed, when it failed. */
  lastError?: string;
}

/** Outcome of one probe. */
export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; error: string };

/** Thresholds, as configured by `unhealthy_threshold` and `healthy_threshold`. */
export interface Thresholds {
  unhealthyThreshold: number;
  healthyThreshold: number;
}

/** The state of a target that has not been probed yet. */
export function initialTargetHealth(id: string): TargetHealth {
  return { id, status: 'unknown', consecutiveFailures: 0, consecutiveSuccesses: 0, lastCheck: 0 };
}

/** Applies one probe result, finished at `now`, to `state`. */
export function nextTargetHealth(
  state: TargetHealth,
  result: ProbeResult,
  now: number,
  thresholds: Thresholds,
): TargetHealth {
  if (result.ok) {
    const consecutiveSuccesses = state.consecutiveSuccesses + 1;
    const status =
      state.status === 'unknown' || consecutiveSuccesses >= thresholds.healthyThreshold ? 'healthy' : state.status;
    return {
      id: state.id,
      status,
      consecutiveSuccesses,
      consecutiveFailures: 0,
      lastCheck: now,
      latencyMs: result.latencyMs,
    };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const status =
    state.status === 'unknown' || consecutiveFailures >= thresholds.unhealthyThreshold ? 'unhealthy' : state.status;
  return {
    id: state.id,
    status,
    consecutiveFailures,
    consecutiveSuccesses: 0,
    lastCheck: now,
    lastError: result.error,
  };
}
