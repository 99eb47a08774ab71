/** The logging seam every package writes through; the gateway supplies the implementation. */

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
