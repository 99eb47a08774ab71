import { SignJWT, base64url, generateKeyPair, type JWTPayload } from 'jose';
import { createAuthenticator, hashApiKey } from '../src';
import { expectUnauthorized } from './support/expectUnauthorized';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const jwt = { secret: SECRET, issuer: 'https://issuer.test', audience: 'only1mcp', roles_claim: 'roles' };
const authenticator = createAuthenticator({
  api_keys: [{ client_id: 'ci-bot', key_hash: hashApiKey('test'), roles: ['reader'] }],
  jwt,
});
const now = () => Math.floor(Date.now() / 1000);

function sign(claims: JWTPayload, secret = SECRET, alg = 'HS256'): Promise<string> {
  return new SignJWT({ iss: jwt.issuer, aud: jwt.audience, exp: now() + 600, ...claims })
    .setProtectedHeader({ alg })
    .sign(new TextEncoder().encode(secret));
}

describe('HS256 JWT authentication', () => {
  it('accepts a good token and reads identity, roles and expiry', async () => {
    const exp = now() + 600;
    const token = await sign({ sub: 'user-1', client_id: 'cli', roles: ['reader'], exp });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      clientId: 'cli',
      roles: ['reader'],
      via: 'jwt',
      expiresAt: exp * 1000,
      subject: 'user-1',
    });
  });

  it('falls back to sub for the client identity and to no roles', async () => {
    const token = await sign({ sub: 'user-2' });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toMatchObject({
      clientId: 'user-2',
      roles: [],
    });
  });

  it('still accepts API keys beside JWTs', async () => {
    await expect(authenticator.authenticate('Bearer test')).resolves.toMatchObject({ via: 'api_key' });
  });

  it('rejects a token signed with another secret', async () => {
    const token = await sign({ sub: 'x' }, 'another-secret-that-is-also-long-enough!!');
    await expectUnauthorized(authenticator.authenticate(`Bearer ${token}`), 'invalid');
  });

  it('rejects an expired token as expired, within a 5 s tolerance', async () => {
    await expectUnauthorized(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x', exp: now() - 60 })}`),
      'expired',
    );
    await expect(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x', exp: now() - 2 })}`),
    ).resolves.toBeTruthy();
  });

  it('rejects a token that is not valid yet', async () => {
    await expectUnauthorized(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x', nbf: now() + 60 })}`),
      'invalid',
    );
  });

  it('rejects a token without exp', async () => {
    const token = await new SignJWT({ sub: 'x', iss: jwt.issuer, aud: jwt.audience })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    await expectUnauthorized(authenticator.authenticate(`Bearer ${token}`), 'invalid');
  });

  it('rejects a wrong or missing audience', async () => {
    await expectUnauthorized(authenticator.authenticate(`Bearer ${await sign({ sub: 'x', aud: 'other' })}`), 'invalid');
    await expectUnauthorized(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x', aud: undefined })}`),
      'invalid',
    );
  });

  it('rejects a wrong issuer', async () => {
    await expectUnauthorized(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x', iss: 'https://evil.test' })}`),
      'invalid',
    );
  });

  it('rejects a token naming no client', async () => {
    await expectUnauthorized(authenticator.authenticate(`Bearer ${await sign({})}`), 'invalid');
  });

  it('rejects alg: none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(
      JSON.stringify({ sub: 'x', iss: jwt.issuer, aud: jwt.audience, exp: now() + 600 }),
    );
    await expectUnauthorized(authenticator.authenticate(`Bearer ${header}.${payload}.`), 'invalid');
  });

  it('rejects other algorithms, even HMAC ones with the right secret', async () => {
    await expectUnauthorized(
      authenticator.authenticate(`Bearer ${await sign({ sub: 'x' }, SECRET, 'HS512')}`),
      'invalid',
    );
    const { privateKey } = await generateKeyPair('ES256');
    const es256 = await new SignJWT({ sub: 'x', iss: jwt.issuer, aud: jwt.audience, exp: now() + 600 })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    await expectUnauthorized(authenticator.authenticate(`Bearer ${es256}`), 'invalid');
  });

  it('rejects garbage that only looks like a JWT', async () => {
    await expectUnauthorized(authenticator.authenticate('Bearer abc.def.ghi'), 'invalid');
  });

  it('accepts any issuer and audience when none is configured', async () => {
    const open = createAuthenticator({ api_keys: [], jwt: { secret: SECRET, roles_claim: 'roles' } });
    const token = await sign({ sub: 'x', iss: 'anyone', aud: 'anything' });
    await expect(open.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ clientId: 'x' });
  });
});
