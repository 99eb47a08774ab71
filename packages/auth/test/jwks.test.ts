import { SignJWT } from 'jose';
import { GatewayError } from '@only1mcp/mcp-types';
import { createAuthenticator, type AuthenticatorOptions } from '../src';
import { expectUnauthorized } from './support/expectUnauthorized';
import { deadUrl, makeKey, signWith, startJwksServer, type JwksServer } from './support/jwksServer';

const ISSUER = 'https://idp.test/realms/main';
const AUDIENCE = 'only1mcp';

function authenticatorFor(url: string, options: AuthenticatorOptions = {}, rolesClaim = 'realm_access.roles') {
  return createAuthenticator(
    { api_keys: [], jwt: { jwks_url: url, issuer: ISSUER, audience: AUDIENCE, roles_claim: rolesClaim } },
    options,
  );
}

describe('JWT authentication with a JWKS', () => {
  let server: JwksServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('verifies a token signed with a published key and reads nested roles', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const token = await signWith(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'u1',
      azp: 'my-client',
      realm_access: { roles: ['reader', 'admin'] },
    });
    const principal = await authenticatorFor(server.url).authenticate(`Bearer ${token}`);
    expect(principal).toMatchObject({ clientId: 'my-client', subject: 'u1', roles: ['reader', 'admin'], via: 'jwt' });
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
  });

  it('reads roles from a space-separated string claim', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const token = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u1', scope: 'reader  writer' });
    const principal = await authenticatorFor(server.url, {}, 'scope').authenticate(`Bearer ${token}`);
    expect(principal.roles).toEqual(['reader', 'writer']);
  });

  it('accepts RS256 and EdDSA keys too', async () => {
    const rsa = await makeKey('rsa', 'RS256');
    const ed = await makeKey('ed', 'EdDSA');
    server = await startJwksServer([rsa, ed]);
    const authenticator = authenticatorFor(server.url);
    for (const key of [rsa, ed]) {
      const token = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: key.kid });
      await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ clientId: key.kid });
    }
  });

  it('refetches the key set for an unknown kid and accepts a token signed with a rotated key', async () => {
    const oldKey = await makeKey('k1');
    const newKey = await makeKey('k2');
    server = await startJwksServer([oldKey]);
    const authenticator = authenticatorFor(server.url, { cooldownMs: 0 });
    await authenticator.authenticate(`Bearer ${await signWith(oldKey, { iss: ISSUER, aud: AUDIENCE, sub: 'u' })}`);
    expect(server.requests).toBe(1);

    server.keys = [newKey];
    const rotated = await signWith(newKey, { iss: ISSUER, aud: AUDIENCE, sub: 'u' });
    await expect(authenticator.authenticate(`Bearer ${rotated}`)).resolves.toMatchObject({ clientId: 'u' });
    expect(server.requests).toBe(2);
    // Keys are cached: verifying again fetches nothing.
    await authenticator.authenticate(`Bearer ${rotated}`);
    expect(server.requests).toBe(2);
  });

  it('refetches at most once per cooldown, so random kids cannot flood the provider', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const authenticator = authenticatorFor(server.url, { cooldownMs: 60_000 });
    await authenticator.authenticate(`Bearer ${await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u' })}`);
    const stranger = await makeKey('unknown');
    for (let i = 0; i < 3; i++) {
      const err = await expectUnauthorized(
        authenticator.authenticate(`Bearer ${await signWith(stranger, { iss: ISSUER, aud: AUDIENCE, sub: 'u' })}`),
        'invalid',
      );
      // An unknown key is the token's fault, not the provider's.
      expect(err.retryable).toBe(false);
    }
    expect(server.requests).toBe(1);
  });

  it('reuses fetched keys when the authenticator is rebuilt with the same URL (config reload)', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const token = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u' });
    await authenticatorFor(server.url, { fetchTimeoutMs: 4_000 }).authenticate(`Bearer ${token}`);
    await authenticatorFor(server.url, { fetchTimeoutMs: 4_000 }).authenticate(`Bearer ${token}`);
    expect(server.requests).toBe(1);
  });

  it('verifies HS256 tokens with the secret and others with the key set when both are configured', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const secret = 'a-shared-secret-that-is-long-enough-0123456789';
    const authenticator = createAuthenticator({
      api_keys: [],
      jwt: { jwks_url: server.url, secret, issuer: ISSUER, audience: AUDIENCE, roles_claim: 'roles' },
    });
    const hs256 = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'svc', exp: Math.floor(Date.now() / 1000) + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    await expect(authenticator.authenticate(`Bearer ${hs256}`)).resolves.toMatchObject({ clientId: 'svc' });
    expect(server.requests).toBe(0);
    const es256 = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'user' });
    await expect(authenticator.authenticate(`Bearer ${es256}`)).resolves.toMatchObject({ clientId: 'user' });
  });

  it('rejects an HS256 token made with the public key as the secret (algorithm confusion)', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const forged = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
    await expectUnauthorized(authenticatorFor(server.url).authenticate(`Bearer ${forged}`), 'invalid');
  });

  it('rejects an expired token as expired and a wrong audience as invalid', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    const authenticator = authenticatorFor(server.url);
    const expired = await signWith(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'u',
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    await expectUnauthorized(authenticator.authenticate(`Bearer ${expired}`), 'expired');
    const elsewhere = await signWith(key, { iss: ISSUER, aud: 'another-api', sub: 'u' });
    await expectUnauthorized(authenticator.authenticate(`Bearer ${elsewhere}`), 'invalid');
  });

  /** The error of a token that could not be checked: the provider's fault, not the token's. */
  const expectUnavailable = async (verdict: Promise<unknown>) => {
    const err = (await verdict.then(
      () => undefined,
      (e: unknown) => e,
    )) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.codeName).toBe('AuthUnavailable');
    expect(err.retryable).toBe(true);
    return err;
  };

  it('answers AuthUnavailable (retryable, not Unauthorized) when the JWKS server is down', async () => {
    const key = await makeKey('k1');
    const token = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u' });
    const err = await expectUnavailable(authenticatorFor(await deadUrl()).authenticate(`Bearer ${token}`));
    expect(err.cause).toBeDefined();
  });

  it('gives up on a JWKS server that never answers after the fetch timeout', async () => {
    const key = await makeKey('k1');
    server = await startJwksServer([key]);
    server.hang = true;
    const token = await signWith(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u' });
    const started = Date.now();
    await expectUnavailable(authenticatorFor(server.url, { fetchTimeoutMs: 300 }).authenticate(`Bearer ${token}`));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });
});
