/**
 * Result caching (issue 7/8): `tools/call` for the tools `cache.tools` lists and `resources/read`
 * for the URIs `cache.resources` matches, each with its TTL, in two layers (this process, then
 * Redis shared by the replicas). A cached item is keyed by the client it was made for (its client
 * id with `auth`), so nothing is replayed to a client that may not see it; errors and `isError`
 * results are never cached; backends with a connection per session are never cached (their
 * answers depend on the session). Lists need no cache of their own: the catalogue is read once
 * per backend and rebuilt only on `list_changed`, a health change or a reload.
 */
import { cacheKey, cacheKeyPrefix, TwoLayerCache } from '@only1mcp/cache';
import type { Config } from '@only1mcp/config';
import type { Principal } from '@only1mcp/auth';
import { compileGlob } from '@only1mcp/context';
import type { RedisClient } from '@only1mcp/health';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { Logger, Registry } from '@only1mcp/registry';

type Rule = { match: (value: string) => boolean; ttl: number };
type Result = Record<string, unknown>;

/** The gateway's result cache; rules follow the configuration in force. */
export class ResultCache {
  private readonly cache: TwoLayerCache;
  private rules: { tools: Rule[]; resources: Rule[] } = { tools: [], resources: [] };
  private settings: Config['cache'] | undefined;

  private readonly redis: RedisClient | undefined;

  constructor(
    private readonly registry: Registry,
    options: { redis?: RedisClient; keyPrefix?: string; metrics?: GatewayMetrics; logger: Logger },
  ) {
    this.redis = options.redis;
    const { cache } = registry.settings;
    this.cache = new TwoLayerCache({
      maxEntries: cache.max_entries,
      maxBytes: cache.max_bytes,
      redis: options.redis,
      keyPrefix: options.keyPrefix,
      logger: options.logger,
      onLookup: (layer, hit) => options.metrics?.observeCache(layer, hit),
    });
  }

  /** Rules compiled for the current settings (recompiled after a reload). */
  private current(): { tools: Rule[]; resources: Rule[] } {
    const settings = this.registry.settings.cache;
    if (settings !== this.settings) {
      this.settings = settings;
      const compile = (rules: { pattern: string; ttl: number }[]) =>
        rules.map(({ pattern, ttl }) => {
          const glob = compileGlob(pattern);
          return { match: (value: string) => glob.test(value), ttl };
        });
      this.rules = settings.enabled
        ? {
            tools: compile(settings.tools.map((t) => ({ pattern: t.name, ttl: t.ttl }))),
            resources: compile(settings.resources.map((r) => ({ pattern: r.uri, ttl: r.ttl }))),
          }
        : { tools: [], resources: [] };
    }
    return this.rules;
  }

  private perSession(serverId: string | undefined): boolean {
    return this.registry.serverSettings(serverId)?.connection.mode === 'per_session';
  }

  /** A `tools/call`, from the cache when its tool is cacheable. */
  async callTool(params: Result, principal: Principal | undefined, call: () => Promise<Result>): Promise<Result> {
    const name = String(params.name);
    const rule = this.current().tools.find((r) => r.match(name));
    const owner = this.registry.catalog.toolOwners.get(name)?.serverId;
    if (!rule || !owner || this.perSession(owner)) return call();
    const key = cacheKey({ scope: scopeOf(principal), kind: 'tool', name, args: params.arguments ?? {} });
    return (await this.cache.getOrCompute(key, rule.ttl, call, (result) => result.isError !== true)).value;
  }

  /** A `resources/read`, from the cache when its URI is cacheable. */
  async readResource(params: Result, principal: Principal | undefined, read: () => Promise<Result>): Promise<Result> {
    const uri = String(params.uri);
    const rule = this.current().resources.find((r) => r.match(uri));
    if (!rule || this.perSession(this.registry.resourceOwner(uri))) return read();
    const key = cacheKey({ scope: scopeOf(principal), kind: 'resource', name: uri });
    return (await this.cache.getOrCompute(key, rule.ttl, read)).value;
  }

  /** Drops every cached result (a reload may have changed what backends answer). */
  async clear(): Promise<void> {
    await Promise.all([
      this.cache.deleteByPrefix(cacheKeyPrefix({ kind: 'tool' })),
      this.cache.deleteByPrefix(cacheKeyPrefix({ kind: 'resource' })),
    ]);
  }

  /** Closes the cache and the Redis connection it was given (the cache's own). */
  async close(): Promise<void> {
    await this.cache.close();
    await this.redis?.close();
  }
}

/** Whose cached items a client may be served: its own (with `auth`), or everyone's (one local user). */
function scopeOf(principal: Principal | undefined): string {
  return principal ? `client:${principal.clientId}` : 'local';
}
