import { readClientId, readRoles } from './claims';

describe('readRoles', () => {
  it('reads an array claim', () => {
    expect(readRoles({ roles: ['reader', 'admin'] }, 'roles')).toEqual(['reader', 'admin']);
  });

  it('reads a space-separated string claim', () => {
    expect(readRoles({ scope: ' reader  admin ' }, 'scope')).toEqual(['reader', 'admin']);
  });

  it('follows a dotted path', () => {
    expect(readRoles({ realm_access: { roles: ['reader'] } }, 'realm_access.roles')).toEqual(['reader']);
  });

  it('prefers a claim whose name contains dots', () => {
    const payload = { 'https://example.com/roles': ['admin'], https: { 'example.com/roles': ['other'] } };
    expect(readRoles(payload, 'https://example.com/roles')).toEqual(['admin']);
  });

  it('skips non-string entries and yields nothing for missing or odd values', () => {
    expect(readRoles({ roles: ['reader', 3, null, ''] }, 'roles')).toEqual(['reader']);
    expect(readRoles({}, 'roles')).toEqual([]);
    expect(readRoles({ roles: { reader: true } }, 'roles')).toEqual([]);
    expect(readRoles({ realm_access: 'x' }, 'realm_access.roles')).toEqual([]);
    expect(readRoles({}, 'constructor.name')).toEqual([]);
  });
});

describe('readClientId', () => {
  it('prefers client_id, then azp, then sub', () => {
    expect(readClientId({ client_id: 'c', azp: 'a', sub: 's' })).toBe('c');
    expect(readClientId({ azp: 'a', sub: 's' })).toBe('a');
    expect(readClientId({ client_id: '', sub: 's' })).toBe('s');
    expect(readClientId({ iss: 'x' })).toBeUndefined();
  });
});
