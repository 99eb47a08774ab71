import { looksLikeJwt, readBearerToken } from './bearer';

const reasonOf = (header: string | undefined) => {
  try {
    readBearerToken(header);
  } catch (err) {
    return (err as { context: { reason: string } }).context.reason;
  }
  return 'accepted';
};

describe('readBearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['  Bearer    abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
    ['Bearer a.b.c', 'a.b.c'],
    ['Bearer o1m_A-b_c~d+e/f==', 'o1m_A-b_c~d+e/f=='],
  ])('reads %j', (header, token) => {
    expect(readBearerToken(header)).toBe(token);
  });

  it.each([undefined, '', '   '])('reports %j as missing', (header) => {
    expect(reasonOf(header)).toBe('missing');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer   ', 'Bearer a b', 'Bearerabc', 'abc', 'Bearer ab=c', 'Bearer a,b'])(
    'reports %j as malformed',
    (header) => {
      expect(reasonOf(header)).toBe('malformed');
    },
  );
});

describe('looksLikeJwt', () => {
  it('is true for three base64url parts, the last possibly empty (alg: none)', () => {
    expect(looksLikeJwt('eyJh.eyJz.c2ln')).toBe(true);
    expect(looksLikeJwt('eyJh.eyJz.')).toBe(true);
  });

  it('is false for API keys and other shapes', () => {
    expect(looksLikeJwt('o1m_abc')).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('a+b.c.d')).toBe(false);
  });
});
