/** The memory layer alone (no Redis): hits, TTLs, bounds, single-flight, what is not stored. */
import { TwoLayerCache, type CacheLayer } from './twoLayerCache';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function memoryCache(maxEntries = 100, maxBytes = 100_000) {
  const lookups: [CacheLayer, boolean][] = [];
  const cache = new TwoLayerCache({ maxEntries, maxBytes, onLookup: (layer, hit) => lookups.push([layer, hit]) });
  return { cache, lookups };
}

describe('TwoLayerCache in memory', () => {
  it('misses, then hits from memory, reporting each lookup', async () => {
    const { cache, lookups } = memoryCache();
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', { content: [{ type: 'text', text: 'hé' }] }, 10_000);
    expect(await cache.get('k')).toEqual({ value: { content: [{ type: 'text', text: 'hé' }] }, layer: 'memory' });
    expect(lookups).toEqual([
      ['memory', false],
      ['memory', true],
    ]);
  });

  it('hands out copies: mutating a hit does not change the entry', async () => {
    const { cache } = memoryCache();
    await cache.set('k', { n: 1 }, 10_000);
    const first = await cache.get<{ n: number }>('k');
    first!.value.n = 2;
    expect((await cache.get<{ n: number }>('k'))!.value.n).toBe(1);
  });

  it('forgets an entry when its TTL ends', async () => {
    const { cache } = memoryCache();
    await cache.set('short', 'v', 100);
    expect((await cache.get('short'))?.value).toBe('v');
    await sleep(150);
    expect(await cache.get('short')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { cache } = memoryCache(3);
    for (const k of ['a', 'b', 'c']) await cache.set(k, k, 10_000);
    await cache.get('a');
    await cache.set('d', 'd', 10_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(cache.memoryStats.entries).toBe(3);
  });

  it('evicts the oldest entries beyond maxBytes and keeps out values over a quarter of it', async () => {
    const { cache } = memoryCache(100, 400);
    const value = 'x'.repeat(98); // JSON: 100 bytes
    for (const k of ['a', 'b', 'c', 'd']) await cache.set(k, value, 10_000);
    expect(cache.memoryStats).toEqual({ entries: 4, bytes: 400 });
    await cache.set('e', value, 10_000);
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.memoryStats).toEqual({ entries: 4, bytes: 400 });
    // UTF-8 bytes, not characters: 'é' is two.
    await cache.set('big', 'é'.repeat(50), 10_000);
    expect(await cache.get('big')).toBeUndefined();
    expect(await cache.get('e')).toBeDefined();
  });

  it('computes once for concurrent misses of one key', async () => {
    const { cache, lookups } = memoryCache();
    let computed = 0;
    const compute = async () => {
      computed++;
      await sleep(30);
      return { content: [], n: computed };
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrCompute('k', 10_000, compute)));
    expect(computed).toBe(1);
    expect(results.every((r) => r.cached === undefined && r.value.n === 1)).toBe(true);
    expect(await cache.getOrCompute('k', 10_000, compute)).toEqual({ value: { content: [], n: 1 }, cached: 'memory' });
    expect(lookups).toEqual([
      ['memory', false],
      ['memory', true],
    ]);
  });

  it('does not store uncacheable results or errors', async () => {
    const { cache } = memoryCache();
    const isError = async () => ({ isError: true, content: [] });
    const notError = (r: { isError?: boolean }) => r.isError !== true;
    expect((await cache.getOrCompute('e', 10_000, isError, notError)).cached).toBeUndefined();
    expect(await cache.get('e')).toBeUndefined();

    const failing = Promise.all(
      Array.from({ length: 3 }, () =>
        cache.getOrCompute('t', 10_000, async () => {
          await sleep(10);
          throw new Error('backend down');
        }),
      ),
    );
    await expect(failing).rejects.toThrow('backend down');
    expect(await cache.get('t')).toBeUndefined();
    expect(await cache.getOrCompute('t', 10_000, async () => 'ok')).toEqual({ value: 'ok', cached: undefined });
  });

  it('does not store values JSON cannot represent', async () => {
    const { cache } = memoryCache();
    await cache.set('u', undefined, 10_000);
    await cache.set('n', 10n, 10_000);
    expect(cache.memoryStats.entries).toBe(0);
  });

  it('deletes by key and by prefix, including a result still being computed', async () => {
    const { cache } = memoryCache();
    for (const k of ['a:1', 'a:2', 'b:1']) await cache.set(k, k, 10_000);
    await cache.delete('b:1');
    let release: () => void = () => undefined;
    const slow = cache.getOrCompute(
      'a:3',
      10_000,
      () => new Promise<string>((resolve) => (release = () => resolve('old'))),
    );
    await sleep(5);
    await cache.deleteByPrefix('a:');
    release();
    expect((await slow).value).toBe('old');
    expect(await cache.get('a:1')).toBeUndefined();
    expect(await cache.get('a:3')).toBeUndefined();
    expect(cache.memoryStats.entries).toBe(0);
  });

  it('rejects a TTL that is not positive', async () => {
    const { cache } = memoryCache();
    await expect(cache.set('k', 1, 0)).rejects.toThrow(RangeError);
  });
});
