/**
 * The process logger (gateway, health-worker) on winston: JSON lines on stderr (stdout belongs to
 * the gateway's stdio front). Every line is scrubbed before it is written: fields whose name says
 * they hold a credential are masked, and the configuration's secret values (see `configSecrets`)
 * are masked wherever they appear, so a backend's error message that echoes its token cannot leak it.
 */
import { configSecrets, type Config } from '@only1mcp/config';
import type { Logger } from '@only1mcp/registry';
import winston from 'winston';
import TransportStream from 'winston-transport';

const MASK = '***';
/** Field names that hold credentials whatever their value. */
const SECRET_FIELD = /(authorization|token|secret|password|passwd|api[-_]?key|cookie|key_hash)/i;

/** Masks secret fields and secret values in one log entry's fields, recursively. */
export function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    let text = value;
    for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(MASK);
    return text;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, SECRET_FIELD.test(key) ? MASK : scrub(v, secrets, depth + 1)]),
  );
}

const scrubFormat = winston.format((info, options: unknown) => {
  const secrets = (options as { secrets: () => readonly string[] }).secrets();
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    info[key] = SECRET_FIELD.test(key) ? MASK : scrub(info[key], secrets);
  }
  return info;
});

/** Where winston keeps an entry's finished line. */
const MESSAGE = Symbol.for('message');
/** Lines written at once, with what was waiting before them: a crash right after must not lose them. */
const URGENT_LEVELS = new Set(['error', 'warn']);
/** How long an info or debug line may wait for others to share its write. */
export const LOG_FLUSH_INTERVAL_MS = 10;
/** Waiting lines of at least this many characters are written at once, whatever the interval. */
export const LOG_FLUSH_CHARS = 64 * 1024;

/**
 * Writes log lines to stderr in batches instead of once per line: a write to a pipe or file is a
 * synchronous system call (and wakes whatever reads the pipe), and with one `request` line per
 * call it was the largest cost of the hot path after the backend itself (docs/BENCHMARKS.md).
 * Info and debug lines wait up to {@link LOG_FLUSH_INTERVAL_MS} (or until {@link LOG_FLUSH_CHARS}
 * wait); errors and warnings go out at once, with what waited before them, so order is kept; and
 * whatever waits when the process exits is written then. What a SIGKILL can lose is the last
 * interval's info lines.
 */
export class BatchedStderrTransport extends TransportStream {
  private pending: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly flushNow = () => this.flush();

  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {
    super();
    if (openTransports.size === 0) process.once('exit', flushAll);
    openTransports.add(this);
  }

  override log(info: winston.Logform.TransformableInfo, next: () => void): void {
    const line = `${String((info as Record<symbol, unknown>)[MESSAGE])}\n`;
    this.pending.push(line);
    this.chars += line.length;
    if (URGENT_LEVELS.has(String(info.level)) || this.chars >= LOG_FLUSH_CHARS) this.flush();
    else if (!this.timer) {
      // Unref'd: a process with nothing else to do exits, and the 'exit' listener writes the rest.
      this.timer = setTimeout(this.flushNow, LOG_FLUSH_INTERVAL_MS).unref();
    }
    next();
  }

  /** Writes every waiting line in one write. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.chars = 0;
    this.out.write(text);
  }

  override close(): void {
    this.flush();
    openTransports.delete(this);
    if (openTransports.size === 0) process.removeListener('exit', flushAll);
  }
}

/** Every transport not closed yet, flushed by one 'exit' listener. */
const openTransports = new Set<BatchedStderrTransport>();
function flushAll(): void {
  for (const transport of openTransports) transport.flush();
}

/**
 * Creates the process logger from `logging` settings. `secrets` is read at every line, so a
 * reloaded configuration's secrets are scrubbed as soon as it applies.
 */
export function createLogger(logging: Config['logging'], secrets: () => readonly string[] = () => []): Logger {
  return winston.createLogger({
    level: logging.level,
    format: winston.format.combine(
      scrubFormat({ secrets }),
      winston.format.timestamp(),
      logging.format === 'json' ? winston.format.json() : winston.format.simple(),
    ),
    transports: [new BatchedStderrTransport()],
  });
}

/** The secrets of whatever configuration `current` returns, recomputed only when it changes. */
export function secretsOf(current: () => Config): () => readonly string[] {
  let seen: Config | undefined;
  let secrets: readonly string[] = [];
  return () => {
    const config = current();
    if (config !== seen) {
      seen = config;
      secrets = configSecrets(config);
    }
    return secrets;
  };
}
