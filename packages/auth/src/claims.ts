/** Reading the client identity and roles out of a verified JWT payload. */
import type { JWTPayload } from 'jose';

/**
 * The roles in `payload` under `claim`. `claim` is first looked up as one name (so namespaced
 * claims such as `https://example.com/roles` work), then as a dotted path (`realm_access.roles`).
 * The value may be an array (non-strings are skipped) or a space-separated string (OAuth `scope`
 * style); anything else, or a missing claim, yields no roles.
 */
export function readRoles(payload: JWTPayload, claim: string): string[] {
  const value = Object.hasOwn(payload, claim) ? payload[claim] : readPath(payload, claim.split('.'));
  if (typeof value === 'string') return value.split(/\s+/).filter((role) => role !== '');
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string' && role !== '');
  return [];
}

function readPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The client identity of a token: the `client_id` claim (RFC 9068), else `azp` (OpenID Connect),
 * else `sub`; undefined when none is a non-empty string.
 */
export function readClientId(payload: JWTPayload): string | undefined {
  for (const claim of ['client_id', 'azp', 'sub']) {
    const value = payload[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
