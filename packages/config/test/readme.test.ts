import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
}

/** Every key path of the JSON Schema, written as in the README (`servers[].url`, `auth.roles.*.allow`). */
function keyPaths(node: SchemaNode, path: string, out: Set<string>): Set<string> {
  for (const alt of node.anyOf ?? node.oneOf ?? []) keyPaths(alt, path, out);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const p = path === '' ? key : `${path}.${key}`;
    out.add(p);
    keyPaths(child, p, out);
  }
  if (node.items) keyPaths(node.items, `${path}[]`, out);
  if (typeof node.additionalProperties === 'object') keyPaths(node.additionalProperties, `${path}.*`, out);
  return out;
}

// The README's configuration reference must name every key the schema accepts, and no other.
describe('README configuration reference', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `([a-z_.*[\]]+)` \|/gm)].map((m) => m[1]!));
  const paths = keyPaths(configJsonSchema() as SchemaNode, '', new Set());

  it.each([...paths])('documents %s', (path) => {
    expect(documented.has(path)).toBe(true);
  });

  it('documents no key the schema rejects', () => {
    expect([...documented].filter((p) => !paths.has(p))).toEqual([]);
  });
});
