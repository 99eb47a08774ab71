/**
 * Visits every subschema of a JSON Schema: only the places where a keyword's value is itself a
 * schema, never data (`enum`, `const`, `default`, `required`…) nor the keys of `properties`, so a
 * property called `title` or `examples` is never mistaken for the keyword.
 */

/** A JSON Schema object (boolean schemas have nothing to visit). */
export type SchemaNode = Record<string, unknown>;

/**
 * Called for each schema object; `name` is the key it sits under in `properties`, `$defs` or
 * `definitions` (the name a `title` could repeat), `depth` is 0 for the root.
 */
export type SchemaVisitor = (node: SchemaNode, name: string | undefined, depth: number) => void;

const SINGLE = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const NAMED_MAP = new Set(['$defs', 'definitions', 'properties']);
const MAP = new Set(['dependentSchemas', 'patternProperties']);

/** True for a non-null, non-array object. */
export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `visit` on `schema` and then on each of its subschemas, depth first. The visitor may
 * delete or rewrite annotation keywords of the node it is given; children are read afterwards.
 */
export function visitSchemas(schema: unknown, visit: SchemaVisitor, name?: string, depth = 0): void {
  if (!isSchemaNode(schema)) return;
  visit(schema, name, depth);
  for (const [key, value] of Object.entries(schema)) {
    if (SINGLE.has(key)) {
      visitSchemas(value, visit, undefined, depth + 1);
    } else if (key === 'items' || LIST.has(key)) {
      // `items` is a schema, or (draft 4 to 2019-09) an array of them.
      const children = Array.isArray(value) ? value : key === 'items' ? [value] : [];
      for (const child of children) visitSchemas(child, visit, undefined, depth + 1);
    } else if ((NAMED_MAP.has(key) || MAP.has(key)) && isSchemaNode(value)) {
      const named = NAMED_MAP.has(key);
      for (const [childName, child] of Object.entries(value)) {
        visitSchemas(child, visit, named ? childName : undefined, depth + 1);
      }
    } else if (key === 'dependencies' && isSchemaNode(value)) {
      // draft 4 to 7: each value is a schema or an array of property names.
      for (const child of Object.values(value)) {
        if (!Array.isArray(child)) visitSchemas(child, visit, undefined, depth + 1);
      }
    }
  }
}
