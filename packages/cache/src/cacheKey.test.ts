import { cacheKey, cacheKeyPrefix, canonicalJson } from './cacheKey';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('follows JSON.stringify for undefined, functions and toJSON', () => {
    expect(canonicalJson({ a: undefined, f: () => 1, d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it('refuses cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
});

describe('cacheKey', () => {
  const base = { scope: 'client-a', kind: 'tools/call', name: 'github__search' };

  it('is one key for the same arguments in any key order', () => {
    expect(cacheKey({ ...base, args: { q: 'x', page: { n: 1, size: 10 } } })).toBe(
      cacheKey({ ...base, args: { page: { size: 10, n: 1 }, q: 'x' } }),
    );
  });

  it('differs by scope, kind, name and arguments', () => {
    const key = cacheKey({ ...base, args: { q: 'x' } });
    expect(cacheKey({ ...base, scope: 'client-b', args: { q: 'x' } })).not.toBe(key);
    expect(cacheKey({ ...base, kind: 'prompts/get', args: { q: 'x' } })).not.toBe(key);
    expect(cacheKey({ ...base, name: 'github__searc', args: { q: 'x' } })).not.toBe(key);
    expect(cacheKey({ ...base, args: { q: 'y' } })).not.toBe(key);
    expect(cacheKey({ ...base, args: ['x', 'y'] })).not.toBe(cacheKey({ ...base, args: ['y', 'x'] }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, args: {} }));
  });

  it('keeps kind and name readable and hides the scope', () => {
    const key = cacheKey({ ...base, scope: 'secret-client-id' });
    expect(key).toMatch(/^v1:tools\/call:github__search:[0-9a-f]{64}$/);
    expect(key).not.toContain('secret');
  });

  it('cannot be faked by a colon inside a name', () => {
    const a = cacheKey({ scope: 's', kind: 'k', name: 'a:b' });
    expect(a.startsWith(cacheKeyPrefix({ kind: 'k', name: 'a' }))).toBe(false);
    expect(a.startsWith(cacheKeyPrefix({ kind: 'k', name: 'a:b' }))).toBe(true);
  });

  it('has prefixes by kind, by name and by name prefix', () => {
    const key = cacheKey({ ...base, args: { q: 1 } });
    expect(key.startsWith(cacheKeyPrefix({ kind: 'tools/call' }))).toBe(true);
    expect(key.startsWith(cacheKeyPrefix({ kind: 'tools/call', namePrefix: 'github__' }))).toBe(true);
    expect(key.startsWith(cacheKeyPrefix({ kind: 'tools/call', name: 'github__search' }))).toBe(true);
    expect(key.startsWith(cacheKeyPrefix({ kind: 'tools/call', name: 'github__se' }))).toBe(false);
    expect(key.startsWith(cacheKeyPrefix({ kind: 'tools/list' }))).toBe(false);
  });
});
