import { BaseConfigSchema } from '@only1mcp/config';
import { createAccessPolicy } from './accessPolicy';
import type { Principal } from './principal';

// Through the real schema, so defaults (deny: [], admin: false) are what the gateway will pass.
const auth = BaseConfigSchema.shape.auth.unwrap().parse({
  roles: {
    reader: { allow: ['files__read_*', 'github__*'], deny: ['github__delete_*'] },
    writer: { allow: ['files__*'] },
    no_secrets: { deny: ['files__read_secret'] },
    admin: { allow: ['*'], admin: true },
    operator: { admin: true },
    literal: { allow: ['a.b', 'x+y'] },
  },
});
const policy = createAccessPolicy(auth);
const as = (...roles: string[]): Principal => ({ clientId: 'c', roles, via: 'api_key' });

describe('createAccessPolicy', () => {
  it('allows names some role allows by glob', () => {
    expect(policy.allows(as('reader'), 'files__read_file')).toBe(true);
    expect(policy.allows(as('reader'), 'github__create_issue')).toBe(true);
    expect(policy.allows(as('reader'), 'files__write_file')).toBe(false);
  });

  it('lets deny win over allow, within a role and across roles', () => {
    expect(policy.allows(as('reader'), 'github__delete_repo')).toBe(false);
    expect(policy.allows(as('reader', 'admin'), 'github__delete_repo')).toBe(false);
    expect(policy.allows(as('writer', 'no_secrets'), 'files__read_secret')).toBe(false);
    expect(policy.allows(as('writer', 'no_secrets'), 'files__read_other')).toBe(true);
  });

  it('combines the allows of several roles', () => {
    expect(policy.allows(as('reader', 'writer'), 'files__write_file')).toBe(true);
  });

  it('grants nothing for unknown roles, including names on Object.prototype', () => {
    for (const role of ['ghost', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(policy.allows(as(role), 'files__read_file')).toBe(false);
      expect(policy.isAdmin(as(role))).toBe(false);
    }
    expect(policy.allows(as(), 'anything')).toBe(false);
  });

  it('makes a principal admin through a role with admin: true, which grants no tools by itself', () => {
    expect(policy.isAdmin(as('admin'))).toBe(true);
    expect(policy.isAdmin(as('reader', 'operator'))).toBe(true);
    expect(policy.isAdmin(as('reader'))).toBe(false);
    expect(policy.allows(as('operator'), 'files__read_file')).toBe(false);
    expect(policy.allows(as('admin'), 'files__read_file')).toBe(true);
  });

  it('matches regex metacharacters in names literally', () => {
    expect(policy.allows(as('literal'), 'a.b')).toBe(true);
    expect(policy.allows(as('literal'), 'aXb')).toBe(false);
    expect(policy.allows(as('literal'), 'x+y')).toBe(true);
    expect(policy.allows(as('literal'), 'xxy')).toBe(false);
  });

  it('allows nothing when no roles are configured', () => {
    expect(createAccessPolicy({ roles: {} }).allows(as('reader'), 'files__read_file')).toBe(false);
  });
});
