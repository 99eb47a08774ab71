/**
 * Durations and sizes as people write them (`30s`, `500ms`, `10MB`), or as plain numbers:
 * a plain number is milliseconds for a duration and bytes for a size.
 */
import { z } from 'zod';

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// SI prefixes are powers of 1000 and IEC prefixes powers of 1024, as their standards define them.
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i;
const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)\s*$/i;

/** Parses `30s`, `500ms`, `1.5m`, `2h`, `1d` or a number of milliseconds; undefined when it is neither. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = DURATION_RE.exec(value);
  if (!m) return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  return Math.round(Number(m[1]) * DURATION_UNITS_MS[m[2]!.toLowerCase()]!);
}

/** Parses `10MB` (SI, 10,000,000), `10MiB` (IEC, 10,485,760), `512B` or a number of bytes; undefined when it is neither. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const m = SIZE_RE.exec(value);
  if (!m) return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
}

/** Formats milliseconds back the way a person writes them (`1500` → `1.5s`). */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const durationSchema = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as "500ms", "30s", "5m" or a number of milliseconds, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'A duration: "500ms", "30s", "5m", "1h", or a number of milliseconds.' });

const sizeSchema = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const bytes = parseSize(v);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size such as "512KB", "10MB", "4MiB" or a number of bytes, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ description: 'A size: "512KB", "10MB" (powers of 1000), "4MiB" (powers of 1024), or a number of bytes.' });

/** A zod schema for a duration with a default: accepts `30s` or a number of milliseconds, yields milliseconds. */
export function duration(defaultValue: string) {
  return durationSchema.prefault(defaultValue);
}

/** A zod schema for an optional duration (no default). */
export function optionalDuration() {
  return durationSchema.optional();
}

/** A zod schema for a size with a default: accepts `10MB`, `4MiB` or a number of bytes, yields bytes. */
export function size(defaultValue: string) {
  return sizeSchema.prefault(defaultValue);
}
