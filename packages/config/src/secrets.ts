/**
 * The values in a configuration that must never reach a log line or an API answer: server `env`
 * values and `headers` values (where credentials go), the Redis password, the request-state and
 * JWT secrets. Logs scrub them wherever they appear.
 */
import type { Config } from './schema';

/** Values shorter than this are not scrubbed: they would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

/** Every secret value of `config`, longest first (so a secret containing another is scrubbed whole). */
export function configSecrets(config: Config): string[] {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) values.add(value);
  };
  for (const server of config.servers) {
    for (const value of Object.values((server as { env?: Record<string, string> }).env ?? {})) add(value);
    for (const value of Object.values((server as { headers?: Record<string, string> }).headers ?? {})) add(value);
  }
  if (config.redis) {
    try {
      add(decodeURIComponent(new URL(config.redis.url).password));
    } catch {
      // An unparsable URL was refused by the schema already.
    }
  }
  add(config.server.request_state_secret);
  add(config.auth?.jwt?.secret);
  return [...values].sort((a, b) => b.length - a.length);
}
