/** Reading the token out of an `Authorization: Bearer <token>` header (RFC 6750 §2.1). */
import { unauthorized } from './principal';

// RFC 6750 b64token: the characters a bearer token may contain, `=` only as padding at the end.
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// Three base64url segments; the signature may be empty so `alg: none` tokens are still treated
// as JWTs (and rejected as such) rather than looked up as API keys.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The bearer token in an Authorization header value. The scheme is case-insensitive (RFC 9110
 * §11.1) and surrounding or repeated spaces are tolerated. Throws `Unauthorized` with reason
 * `missing` (no header, or only whitespace) or `malformed` (another scheme, no token, extra parts).
 */
export function readBearerToken(authorization: string | undefined): string {
  const value = authorization?.trim() ?? '';
  if (value === '') throw unauthorized('missing');
  const parts = value.split(/[ \t]+/);
  const [scheme, token] = parts;
  if (parts.length !== 2 || scheme?.toLowerCase() !== 'bearer' || !token || !TOKEN.test(token)) {
    throw unauthorized('malformed');
  }
  return token;
}

/** True when the token has the shape of a compact JWS (three dot-separated base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}
