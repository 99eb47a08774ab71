/**
 * Remote JWKS key sets shared by every authenticator in the process. The gateway rebuilds its
 * authenticator on each config reload; keeping the key set (and the keys it fetched) here, keyed by
 * URL and settings, means a reload does not refetch keys or lose the refetch cooldown.
 */
import type * as Jose from 'jose';
import type { createRemoteJWKSet } from 'jose';

/** How a remote key set is fetched and cached; every duration in ms. */
export interface JwksSettings {
  /** Longest a key-set request may take before verification fails (jose `timeoutDuration`). */
  timeoutMs: number;
  /** Least time between refetches caused by an unknown `kid` (jose `cooldownDuration`). */
  cooldownMs: number;
  /** Age after which fetched keys are refetched before use (jose `cacheMaxAge`). */
  cacheMaxAgeMs: number;
}

/**
 * Defaults. The timeout bounds what an unreachable identity provider adds to a request. The
 * cooldown lets a key rotation be picked up within 30 s while a client sending random `kid`s can
 * cause at most two fetches a minute. The max age makes a key the provider has withdrawn stop being
 * trusted within 10 minutes.
 */
export const DEFAULT_JWKS_SETTINGS: Readonly<JwksSettings> = Object.freeze({
  timeoutMs: 5_000,
  cooldownMs: 30_000,
  cacheMaxAgeMs: 600_000,
});

/**
 * jose, loaded when the first JWT verifier is built: API keys alone never need it, and a gateway
 * without JWT auth should not hold the library in memory.
 */
export function joseModule(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('jose') as typeof Jose;
}

/** The key resolver jose's `createRemoteJWKSet` returns. */
export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

// Grows by one entry per distinct URL/settings pair ever configured in the process: a handful.
const keySets = new Map<string, RemoteKeySet>();

/** The process-wide key set for `url` with `settings`, created on first use. */
export function sharedRemoteKeySet(url: string, settings: JwksSettings): RemoteKeySet {
  const href = new URL(url).href;
  // The whole identity goes into the key: two settings for one URL are two key sets.
  const cacheKey = JSON.stringify([href, settings.timeoutMs, settings.cooldownMs, settings.cacheMaxAgeMs]);
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    keySet = joseModule().createRemoteJWKSet(new URL(href), {
      timeoutDuration: settings.timeoutMs,
      cooldownDuration: settings.cooldownMs,
      cacheMaxAge: settings.cacheMaxAgeMs,
    });
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}
