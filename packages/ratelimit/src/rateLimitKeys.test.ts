import { rateLimitKeys, redisBucketKey } from './rateLimitKeys';

describe('rateLimitKeys', () => {
  it('names client and client-on-server buckets', () => {
    expect(rateLimitKeys.client('alice')).toBe('client:alice');
    expect(rateLimitKeys.clientServer('alice', 'github')).toBe('client:alice:server:github');
    expect(redisBucketKey('only1mcp:', rateLimitKeys.client('alice'))).toBe('only1mcp:ratelimit:client:alice');
  });

  it('keeps identities apart whatever characters the ids hold', () => {
    expect(rateLimitKeys.client('a:server:b')).not.toBe(rateLimitKeys.clientServer('a', 'b'));
    expect(rateLimitKeys.clientServer('a:b', 'c')).not.toBe(rateLimitKeys.clientServer('a', 'b:c'));
  });
});
