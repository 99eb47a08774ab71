/**
 * What one health check concluded about one backend replica: the value written to a HealthStore and
 * shared between gateway replicas. Readers validate it and treat it as unknown when it is stale.
 */
import { z } from 'zod';

/** Health of a replica; `unknown` means no usable evidence either way (callers fail open). */
export const healthStatusSchema = z.enum(['unknown', 'healthy', 'unhealthy']);

/** Health of a replica. */
export type HealthStatus = z.infer<typeof healthStatusSchema>;

/** Schema of a {@link HealthRecord}; anything read back from a shared store goes through it. */
export const healthRecordSchema = z.object({
  /** The replica: `serverId#index`. */
  id: z.string().min(1),
  status: healthStatusSchema,
  /** When the latest probe finished (epoch ms, the checker's clock). */
  lastCheck: z.number().int().nonnegative(),
  /** How long the latest probe took, when it succeeded. */
  latencyMs: z.number().nonnegative().optional(),
  /** Why the latest probe failed, when it failed. */
  lastError: z.string().optional(),
  /** Which checker wrote it (for diagnosis across gateway replicas). */
  checkedBy: z.string(),
});

/** The latest health verdict on one replica. */
export type HealthRecord = z.infer<typeof healthRecordSchema>;

/** Parses a stored record; `undefined` when it is not JSON or not a valid record (never throws). */
export function parseHealthRecord(text: string): HealthRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = healthRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * True when the record is older than `maxAgeMs` at `now`. A record from the future (clock skew
 * between replicas) counts as fresh: skew is not evidence that the checker stopped.
 */
export function isStale(record: HealthRecord, now: number, maxAgeMs: number): boolean {
  return now - record.lastCheck > maxAgeMs;
}

/** The status a reader should act on: the record's, or `unknown` once it is stale (fail open). */
export function effectiveStatus(record: HealthRecord | undefined, now: number, maxAgeMs: number): HealthStatus {
  if (record === undefined || isStale(record, now, maxAgeMs)) return 'unknown';
  return record.status;
}
