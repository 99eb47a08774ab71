/**
 * @only1mcp/auth: who a client is (API keys, JWTs) and what it may use (roles with allow/deny
 * globs). Any new export here is public API.
 */
export { API_KEY_PREFIX, generateApiKey, hashApiKey } from './apiKeys';
export { DEFAULT_CLOCK_TOLERANCE_MS, createAuthenticator } from './authenticator';
export type { Authenticator, AuthenticatorOptions } from './authenticator';
export { DEFAULT_JWKS_SETTINGS } from './jwksCache';
export type { JwksSettings } from './jwksCache';
export { JWKS_ALGORITHMS, SECRET_ALGORITHMS } from './jwtVerifier';
export { createAccessPolicy } from './accessPolicy';
export type { AccessPolicy } from './accessPolicy';
export { globMatcher } from './glob';
export type { Principal, UnauthorizedReason } from './principal';
