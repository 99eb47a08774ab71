/** What an authenticated principal may use, from `auth.roles`. */
import type { AuthConfig } from './authConfig';
import { globMatcher } from './glob';
import type { Principal } from './principal';

/** Decides what a principal may do. */
export interface AccessPolicy {
  /**
   * True when one of the principal's roles has `admin: true` (gateway administration: reload,
   * status). Being admin does not grant tools; the role's `allow` does.
   */
  isAdmin(principal: Principal): boolean;
  /**
   * True when some role of the principal allows `publicName` (a tool or prompt name, a resource
   * URI or a server prefix) and none of its roles denies it: deny wins. Unknown roles grant nothing.
   */
  allows(principal: Principal, publicName: string): boolean;
}

interface CompiledRole {
  allow: (name: string) => boolean;
  deny: (name: string) => boolean;
  admin: boolean;
}

/** The access policy for `auth.roles`; every glob is compiled here, once. */
export function createAccessPolicy(auth: Pick<AuthConfig, 'roles'>): AccessPolicy {
  // A Map, not the config object: a role named `constructor` or `__proto__` must not find Object.prototype.
  const roles = new Map<string, CompiledRole>(
    Object.entries(auth.roles).map(([name, role]) => [
      name,
      { allow: globMatcher(role.allow), deny: globMatcher(role.deny), admin: role.admin },
    ]),
  );
  const rolesOf = (principal: Principal) =>
    principal.roles.flatMap((name) => {
      const role = roles.get(name);
      return role ? [role] : [];
    });
  return {
    isAdmin: (principal) => rolesOf(principal).some((role) => role.admin),
    allows: (principal, publicName) => {
      const held = rolesOf(principal);
      return held.some((role) => role.allow(publicName)) && !held.some((role) => role.deny(publicName));
    },
  };
}
