/**
 * The logging seam, declared here structurally (the registry's shape) so this package depends on no
 * other workspace package: the gateway passes the same logger to both.
 */

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger (winston's shape). */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** The message of an unknown thrown value, for log fields and health records. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
