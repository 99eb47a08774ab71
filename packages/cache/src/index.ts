/** @only1mcp/cache. Any new export here is public API. */
export { TwoLayerCache } from './twoLayerCache';
export type { CacheLayer, CacheLookup, CacheResult, TwoLayerCacheOptions } from './twoLayerCache';
export { cacheKey, cacheKeyPrefix } from './cacheKey';
export type { CacheKeyParts, CacheKeyPrefixParts } from './cacheKey';
