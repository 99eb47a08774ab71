/**
 * The gateway's winston logger: JSON lines on stderr (stdout belongs to the stdio front). Every
 * line is scrubbed before it is written: fields whose name says they hold a credential are
 * masked, and the configuration's secret values (see `configSecrets`) are masked wherever they
 * appear, so a backend's error message that echoes its token cannot leak it.
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

/**
 * Writes log lines to stderr once per turn of the event loop instead of once per line: a write to
 * a pipe or file is a synchronous system call, and with one `request` line per call it was the
 * largest cost of the hot path after the backend itself (docs/BENCHMARKS.md). Lines keep their
 * order; errors and warnings go out at once (with what waited before them), and whatever waits
 * when the process exits is written then.
 */
export class BatchedStderrTransport extends TransportStream {
  private pending: string[] = [];
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {
    super();
    if (openTransports.size === 0) process.once('exit', flushAll);
    openTransports.add(this);
  }

  override log(info: winston.Logform.TransformableInfo, next: () => void): void {
    this.pending.push(`${String((info as Record<symbol, unknown>)[MESSAGE])}\n`);
    if (URGENT_LEVELS.has(String(info.level))) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushNow);
    }
    next();
  }

  /** Writes every waiting line in one write. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
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
