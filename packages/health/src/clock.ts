/** Time as a collaborator, so thresholds, latency and staleness can be tested without waiting. */

/** A source of wall-clock time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
