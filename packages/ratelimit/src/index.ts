/** @only1mcp/ratelimit. Any new export here is public API. */
export { createRateLimiter } from './createRateLimiter';
export type { RateLimiterOptions } from './createRateLimiter';
export type { RateLimitDecision, RateLimitSource, RateLimiter } from './rateLimiter';
export { rateLimitKeys } from './rateLimitKeys';
