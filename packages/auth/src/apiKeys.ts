/**
 * API keys: how they are made, how they are stored in config (`sha256:<hex>`), and how a presented
 * key is checked against every configured hash without leaking which one matched through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from './authConfig';
import { unauthorized, type Principal } from './principal';

/** Prefix of keys made by {@link generateApiKey}, so leaked keys are easy to spot in logs and scanners. */
export const API_KEY_PREFIX = 'o1m_';

const HASH_PREFIX = 'sha256:';

/** The config form of an API key: `sha256:` and the hex SHA-256 of its UTF-8 bytes (what `only1mcp auth hash-key` prints). */
export function hashApiKey(key: string): string {
  return HASH_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random API key: {@link API_KEY_PREFIX} and 32 random bytes in base64url (256 bits of entropy). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Index of the first candidate equal to `digest`, or -1. Compares with every candidate (no early
 * exit) so the time taken does not depend on where, or whether, the key is configured. `equal`
 * must be constant-time; it is a parameter so a test can count the comparisons.
 */
export function findDigest(
  digest: Buffer,
  candidates: readonly Buffer[],
  equal: (a: Buffer, b: Buffer) => boolean = timingSafeEqual,
): number {
  let found = -1;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    // Unequal lengths cannot happen (config hashes are validated as 64 hex digits), but
    // timingSafeEqual throws on them, so compare the digest with itself to keep the work the same.
    const same = candidate.length === digest.length ? equal(digest, candidate) : !equal(digest, digest);
    if (same && found === -1) found = i;
  }
  return found;
}

/** Checks presented API keys against `auth.api_keys`; returns the matching entry's principal. */
export function createApiKeyVerifier(apiKeys: AuthConfig['api_keys']): (key: string) => Principal {
  const digests = apiKeys.map((entry) => Buffer.from(entry.key_hash.slice(HASH_PREFIX.length), 'hex'));
  return (key) => {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    const index = findDigest(digest, digests);
    const entry = apiKeys[index];
    if (!entry) throw unauthorized('invalid');
    return { clientId: entry.client_id, roles: [...entry.roles], via: 'api_key' };
  };
}
