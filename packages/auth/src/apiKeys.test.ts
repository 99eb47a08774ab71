import { timingSafeEqual } from 'node:crypto';
import { createApiKeyVerifier, findDigest, generateApiKey, hashApiKey } from './apiKeys';

// The example in packages/config and the docs: the key "test".
const TEST_HASH = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('hashApiKey', () => {
  it('matches the configuration example', () => {
    expect(hashApiKey('test')).toBe(TEST_HASH);
  });

  it('prints the form the config schema accepts', () => {
    expect(hashApiKey(generateApiKey())).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('generateApiKey', () => {
  it('makes prefixed base64url keys of 32 random bytes', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^o1m_[A-Za-z0-9_-]{43}$/);
  });
});

describe('findDigest', () => {
  const digest = (byte: number) => Buffer.alloc(32, byte);
  const counting = () => {
    const calls: number[] = [];
    const equal = (a: Buffer, b: Buffer) => {
      calls.push(b[0]!);
      return timingSafeEqual(a, b);
    };
    return { calls, equal };
  };

  it('compares with every configured hash even when the first one matches', () => {
    const { calls, equal } = counting();
    expect(findDigest(digest(1), [digest(1), digest(2), digest(3)], equal)).toBe(0);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('compares with every configured hash when none matches', () => {
    const { calls, equal } = counting();
    expect(findDigest(digest(9), [digest(1), digest(2), digest(3)], equal)).toBe(-1);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('returns the first of duplicate entries', () => {
    expect(findDigest(digest(2), [digest(1), digest(2), digest(2)])).toBe(1);
  });

  it('does the same work for a candidate of another length instead of throwing', () => {
    const { calls, equal } = counting();
    expect(findDigest(digest(1), [Buffer.alloc(3, 7), digest(1)], equal)).toBe(1);
    expect(calls).toHaveLength(2);
  });
});

describe('createApiKeyVerifier', () => {
  const verify = createApiKeyVerifier([
    { client_id: 'ci-bot', key_hash: TEST_HASH, roles: ['reader'] },
    { client_id: 'ops', key_hash: hashApiKey('ops-key'), roles: ['admin', 'reader'] },
  ]);

  it('gives the principal of the entry whose hash matches', () => {
    expect(verify('test')).toEqual({ clientId: 'ci-bot', roles: ['reader'], via: 'api_key' });
    expect(verify('ops-key')).toEqual({ clientId: 'ops', roles: ['admin', 'reader'], via: 'api_key' });
  });

  it('rejects an unknown key as invalid', () => {
    expect(() => verify('Test')).toThrow(
      expect.objectContaining({ codeName: 'Unauthorized', context: { reason: 'invalid' } }),
    );
  });

  it('rejects every key when none is configured', () => {
    expect(() => createApiKeyVerifier([])('test')).toThrow(expect.objectContaining({ context: { reason: 'invalid' } }));
  });
});
