import { BaseConfigSchema } from '@only1mcp/config';
import { createAuthenticator, generateApiKey, hashApiKey } from '../src';
import { expectUnauthorized } from './support/expectUnauthorized';

const opsKey = generateApiKey();
// The configuration example, through the real schema.
const auth = BaseConfigSchema.shape.auth.unwrap().parse({
  api_keys: [
    {
      client_id: 'ci-bot',
      key_hash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      roles: ['reader'],
    },
    { client_id: 'ops', key_hash: hashApiKey(opsKey), roles: ['admin'] },
  ],
  roles: { reader: { allow: ['files__read_*'] }, admin: { allow: ['*'], admin: true } },
});
const authenticator = createAuthenticator(auth);

describe('API key authentication', () => {
  it('accepts a configured key and takes identity and roles from its entry', async () => {
    await expect(authenticator.authenticate('Bearer test')).resolves.toEqual({
      clientId: 'ci-bot',
      roles: ['reader'],
      via: 'api_key',
    });
    await expect(authenticator.authenticate(`Bearer ${opsKey}`)).resolves.toMatchObject({ clientId: 'ops' });
  });

  it('accepts a lowercase scheme and extra spaces', async () => {
    await expect(authenticator.authenticate('bearer test')).resolves.toMatchObject({ clientId: 'ci-bot' });
    await expect(authenticator.authenticate('  Bearer    test ')).resolves.toMatchObject({ clientId: 'ci-bot' });
  });

  it('rejects a wrong key as invalid', async () => {
    await expectUnauthorized(authenticator.authenticate('Bearer tesT'), 'invalid');
    await expectUnauthorized(authenticator.authenticate(`Bearer ${generateApiKey()}`), 'invalid');
  });

  it('rejects a missing or blank header as missing', async () => {
    await expectUnauthorized(authenticator.authenticate(undefined), 'missing');
    await expectUnauthorized(authenticator.authenticate(''), 'missing');
    await expectUnauthorized(authenticator.authenticate('  '), 'missing');
  });

  it('rejects other schemes and broken headers as malformed', async () => {
    await expectUnauthorized(authenticator.authenticate('Basic dGVzdDp0ZXN0'), 'malformed');
    await expectUnauthorized(authenticator.authenticate('Bearer'), 'malformed');
    await expectUnauthorized(authenticator.authenticate('Bearer test extra'), 'malformed');
    await expectUnauthorized(authenticator.authenticate('test'), 'malformed');
  });

  it('looks up a JWT-shaped token among the API keys when no JWT is configured', async () => {
    const dotted = createAuthenticator({ api_keys: [{ client_id: 'd', key_hash: hashApiKey('a.b.c'), roles: [] }] });
    await expect(dotted.authenticate('Bearer a.b.c')).resolves.toMatchObject({ clientId: 'd' });
    await expectUnauthorized(dotted.authenticate('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'), 'invalid');
  });

  it('stops accepting a key once an authenticator is built from config without it', async () => {
    const revoked = createAuthenticator({ ...auth, api_keys: auth.api_keys.filter((k) => k.client_id !== 'ci-bot') });
    await expectUnauthorized(revoked.authenticate('Bearer test'), 'invalid');
    await expect(revoked.authenticate(`Bearer ${opsKey}`)).resolves.toMatchObject({ clientId: 'ops' });
  });
});
