/**
 * Turns an Authorization header into a {@link Principal}. Cheap to build (no I/O; remote key sets
 * are shared process-wide), because the gateway builds a new one on every config reload so a
 * revoked API key stops working at once.
 */
import { createApiKeyVerifier } from './apiKeys';
import type { AuthConfig } from './authConfig';
import { looksLikeJwt, readBearerToken } from './bearer';
import { DEFAULT_JWKS_SETTINGS } from './jwksCache';
import { createJwtVerifier } from './jwtVerifier';
import type { Principal } from './principal';

/** Tuning for {@link createAuthenticator}; every duration in ms, defaults in {@link DEFAULT_JWKS_SETTINGS}. */
export interface AuthenticatorOptions {
  /** Longest a JWKS request may take (default 5 s). */
  fetchTimeoutMs?: number;
  /** Least time between JWKS refetches caused by an unknown `kid` (default 30 s). */
  cooldownMs?: number;
  /** Age after which JWKS keys are refetched (default 10 min). */
  cacheMaxAgeMs?: number;
  /** Allowed clock skew for JWT `exp` and `nbf` (default 5 s). */
  clockToleranceMs?: number;
}

/** Verifies the credentials of a request. */
export interface Authenticator {
  /**
   * The principal for an Authorization header value. Rejects with GatewayError `Unauthorized`
   * whose `context.reason` is `missing`, `malformed`, `invalid` or `expired`.
   */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/** Default allowed clock skew for JWT `exp` and `nbf`. */
export const DEFAULT_CLOCK_TOLERANCE_MS = 5_000;

/**
 * An authenticator for the `auth:` config. A token shaped like a JWT is verified as one when
 * `auth.jwt` is configured; any other token is looked up among `auth.api_keys`.
 */
export function createAuthenticator(
  auth: Pick<AuthConfig, 'api_keys' | 'jwt'>,
  options: AuthenticatorOptions = {},
): Authenticator {
  const verifyApiKey = createApiKeyVerifier(auth.api_keys);
  const verifyJwt =
    auth.jwt &&
    createJwtVerifier(auth.jwt, {
      jwks: {
        timeoutMs: options.fetchTimeoutMs ?? DEFAULT_JWKS_SETTINGS.timeoutMs,
        cooldownMs: options.cooldownMs ?? DEFAULT_JWKS_SETTINGS.cooldownMs,
        cacheMaxAgeMs: options.cacheMaxAgeMs ?? DEFAULT_JWKS_SETTINGS.cacheMaxAgeMs,
      },
      clockToleranceMs: options.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS,
    });
  return {
    async authenticate(authorization) {
      const token = readBearerToken(authorization);
      return verifyJwt && looksLikeJwt(token) ? verifyJwt(token) : verifyApiKey(token);
    },
  };
}
