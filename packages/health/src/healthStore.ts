/** Where health verdicts are kept and announced: in memory for one gateway, Redis for several. */
import type { HealthRecord } from './healthRecord';

/** Receives a record whose status changed. */
export type HealthListener = (record: HealthRecord) => void;

/**
 * Storage for health records. Implementations fail open: reads return what they can (possibly
 * nothing) and writes never throw, because health is advisory and must never fail a request.
 */
export interface HealthStore {
  /** Stores the latest record for its id; announces it to subscribers when its status changed. */
  put(record: HealthRecord): Promise<void>;
  /** Every record currently held (callers still check staleness with `isStale`). */
  getAll(): Promise<HealthRecord[]>;
  /** Calls `listener` for every status change from now on; resolves to an unsubscribe function. */
  subscribe(listener: HealthListener): Promise<() => Promise<void>>;
  /** Releases what the store opened itself (subscriptions); injected connections stay open. */
  close(): Promise<void>;
}
