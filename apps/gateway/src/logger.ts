/**
 * The gateway's winston logger: JSON lines on stderr (stdout belongs to the stdio front). Every
 * line is scrubbed before it is written: fields whose name says they hold a credential are
 * masked, and the configuration's secret values (see `configSecrets`) are masked wherever they
 * appear, so a backend's error message that echoes its token cannot leak it.
 */
import { configSecrets, type Config } from '@only1mcp/config';
import type { Logger } from '@only1mcp/registry';
import winston from 'winston';

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
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
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
