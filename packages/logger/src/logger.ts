/**
 * The logging seam every package writes through. It is structural (winston's shape), so a
 * process (gateway, health-worker) passes one winston logger to all of them and tests pass
 * {@link silentLogger} or a recorder; only `@only1mcp/runtime`, which creates that logger,
 * depends on winston.
 */

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger (winston's shape, so the gateway can pass one straight in). */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (tests and library defaults). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** The message of an unknown thrown value, for log fields and health records. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
