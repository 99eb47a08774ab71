/**
 * Cache keys for gateway responses. A key must carry every part of a request's identity, or two
 * requests that should differ share an answer (the worst cache bug a gateway can have: one client
 * sees what another may see). Kind and name stay readable so that {@link cacheKeyPrefix} can
 * invalidate by them; scope and arguments are hashed, so client ids never appear in Redis keys.
 */
import { createHash } from 'node:crypto';

/** Bumped when the key layout changes, so old entries are simply never found again. */
const KEY_VERSION = 'v1';

/** What identifies a cached response. */
export interface CacheKeyParts {
  /**
   * Isolates clients from each other: everything that decides what a client may see (its client id,
   * or its role set and tenant when those alone decide). Two requests with the same scope may be
   * served the same answer, so the gateway must put into `scope` every input of its authorisation
   * and of any per-client rewriting of the response.
   */
  scope: string;
  /** The kind of request, e.g. `tools/call`, `resources/read`, `prompts/get`. */
  kind: string;
  /** The tool name, resource URI or prompt name (as the gateway exposes it). */
  name: string;
  /** The request's arguments; object key order does not matter, array order does. */
  args?: unknown;
}

/** Which keys {@link cacheKeyPrefix} selects: every name of a kind, one name, or names starting with `namePrefix`. */
export interface CacheKeyPrefixParts {
  kind: string;
  /** Exactly this name. */
  name?: string;
  /** Every name starting with this (e.g. a backend's namespace `github__`); ignored when `name` is given. */
  namePrefix?: string;
}

/**
 * JSON with object keys sorted at every depth, so equal values serialise equally. Follows
 * JSON.stringify otherwise (toJSON, undefined and functions dropped from objects, null in arrays).
 * Throws TypeError on cycles and BigInt, like JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const walk = (input: unknown, inArray: boolean): string | undefined => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON(): unknown }).toJSON();
    }
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return inArray ? 'null' : undefined;
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (seen.has(v)) throw new TypeError('canonicalJson: value is cyclic');
    seen.add(v);
    let out: string;
    if (Array.isArray(v)) {
      out = `[${v.map((item) => walk(item, true)).join(',')}]`;
    } else {
      const fields: string[] = [];
      for (const key of Object.keys(v).sort()) {
        const field = walk((v as Record<string, unknown>)[key], false);
        if (field !== undefined) fields.push(`${JSON.stringify(key)}:${field}`);
      }
      out = `{${fields.join(',')}}`;
    }
    seen.delete(v);
    return out;
  };
  return walk(value, false) ?? 'null';
}

/**
 * Escapes `%` and `:` (only those: keys stay readable), so a `:` inside a kind or name cannot fake a
 * boundary. Works character by character, so the encoding of a prefix is a prefix of the encoding.
 */
function encodePart(text: string): string {
  return text.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/** `v1:<kind>:<name>:`, both parts encoded. */
function readablePart(kind: string, name: string): string {
  return `${KEY_VERSION}:${encodePart(kind)}:${encodePart(name)}:`;
}

/**
 * The stable key of a response: `v1:<kind>:<name>:<sha256>`, the hash covering scope, kind, name and
 * the arguments serialised with sorted object keys (`{a,b}` and `{b,a}` are one key; no arguments
 * and `{}` are two).
 */
export function cacheKey(parts: CacheKeyParts): string {
  const identity = canonicalJson({ scope: parts.scope, kind: parts.kind, name: parts.name, args: parts.args });
  const digest = createHash('sha256').update(identity).digest('hex');
  return readablePart(parts.kind, parts.name) + digest;
}

/** The prefix for `TwoLayerCache.deleteByPrefix` that selects keys made by {@link cacheKey}, in every scope. */
export function cacheKeyPrefix(parts: CacheKeyPrefixParts): string {
  if (parts.name !== undefined) return readablePart(parts.kind, parts.name);
  return `${KEY_VERSION}:${encodePart(parts.kind)}:${encodePart(parts.namePrefix ?? '')}`;
}
