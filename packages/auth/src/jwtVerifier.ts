/**
 * JWT bearer tokens: signature (HS256 with `auth.jwt.secret`, or an asymmetric key from
 * `auth.jwt.jwks_url`), issuer, audience, expiry and not-before, then identity and roles from the
 * claims. A token that fails becomes `Unauthorized` with reason `expired` or `invalid`; keys that
 * cannot be fetched (the provider down or slow) become `AuthUnavailable`, which judges no token.
 */
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from './authConfig';
import { readClientId, readRoles } from './claims';
import { joseModule, sharedRemoteKeySet, type JwksSettings } from './jwksCache';
import { unauthorized, type Principal } from './principal';
import { GatewayError } from '@only1mcp/mcp-types';

/** The only algorithm accepted with `auth.jwt.secret`. */
export const SECRET_ALGORITHMS = ['HS256'] as const;
/** Algorithms accepted with `auth.jwt.jwks_url` (`Ed25519` is the fully specified name for EdDSA over Ed25519). */
export const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'] as const;

/** Settings for {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /** How keys are fetched from `jwks_url`. */
  jwks: JwksSettings;
  /** Allowed clock skew for `exp` and `nbf`, in ms. */
  clockToleranceMs: number;
}

/** Marks a failure to obtain keys (provider down, slow, or serving garbage): not the client's fault. */
class KeySourceError extends Error {}

/** Verifies a JWT against `jwt` config; resolves to its principal or throws `Unauthorized`. */
export function createJwtVerifier(jwt: JwtConfig, options: JwtVerifierOptions): (token: string) => Promise<Principal> {
  const { errors, jwtVerify } = joseModule();
  const secret = jwt.secret === undefined ? undefined : new TextEncoder().encode(jwt.secret);
  const keySet = jwt.jwks_url === undefined ? undefined : sharedRemoteKeySet(jwt.jwks_url, options.jwks);
  const algorithms = [...(secret ? SECRET_ALGORITHMS : []), ...(keySet ? JWKS_ALGORITHMS : [])];

  // jose checks `alg` against `algorithms` before asking for a key, so an HS256 token only gets
  // here with a secret configured, and any other algorithm only with a key set.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (!keySet) throw new errors.JOSEAlgNotAllowed('no key for this algorithm');
    try {
      return await keySet(header, token);
    } catch (err) {
      // An unknown kid (after jose's refetch) or an ambiguous one is about the token; the rest is about the provider.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new KeySourceError('JWKS unavailable', { cause: err });
    }
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: jwt.issuer,
        audience: jwt.audience,
        clockTolerance: options.clockToleranceMs / 1000,
        // A token without `exp` would be valid forever.
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthorized('expired', { cause: err });
      // The provider being down says nothing of the token: not a 401, which would tell the client to drop it.
      if (err instanceof KeySourceError) {
        throw new GatewayError(
          'AuthUnavailable',
          'The token could not be checked: the signing keys (JWKS) are unavailable; retry shortly',
          { cause: err.cause, expose: true, context: { jwks: 'unavailable' } },
        );
      }
      throw unauthorized('invalid', { cause: err });
    }
    const clientId = readClientId(payload);
    if (clientId === undefined)
      throw unauthorized('invalid', { cause: new Error('token names no client_id, azp or sub') });
    const principal: Principal = { clientId, roles: readRoles(payload, jwt.roles_claim), via: 'jwt' };
    if (typeof payload.exp === 'number') principal.expiresAt = payload.exp * 1000;
    if (typeof payload.sub === 'string') principal.subject = payload.sub;
    return principal;
  };
}
