import type { Tool } from '@only1mcp/mcp-types';
import { isSchemaNode, visitSchemas, type SchemaNode } from './schemaWalk';
import { truncateDescription } from './truncateDescription';

/** How far {@link compactTool} goes beyond dropping annotations. */
export interface CompactToolOptions {
  /**
   * Cap on the tool's description and on every description inside its schemas, in characters
   * (ellipsis included); cut at a word boundary. Absent: descriptions are kept whole.
   */
  maxDescriptionLength?: number;
}

/** Annotation keywords no model needs to call a tool; none of them affects validation. */
const DROPPED_KEYWORDS = ['$comment', 'examples', 'example'] as const;

/** Keywords beside a `$ref` that mean the same in every draft (annotations, definitions). */
const REF_NEUTRAL_SIBLINGS = new Set([
  '$ref',
  '$id',
  '$schema',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'example',
]);

/**
 * Keywords whose meaning differs between JSON Schema drafts. Without `$schema` a client assumes
 * 2020-12 (the MCP default), so `$schema` is kept when one of these appears.
 */
function usesDialectSpecificKeywords(node: SchemaNode): boolean {
  if (Array.isArray(node.items) || 'additionalItems' in node || 'dependencies' in node) return true;
  if (typeof node.exclusiveMinimum === 'boolean' || typeof node.exclusiveMaximum === 'boolean') return true;
  if ('$recursiveRef' in node || '$recursiveAnchor' in node || typeof node.id === 'string') return true;
  // Before 2019-09 a `$ref` makes its sibling keywords ignored; from 2019-09 they apply.
  if (typeof node.$ref === 'string') {
    return Object.keys(node).some((key) => !REF_NEUTRAL_SIBLINGS.has(key));
  }
  return false;
}

/** What the whole schema document allows us to drop. */
interface DocumentFacts {
  dropSchema: boolean;
  dropRootId: boolean;
  dropNestedIds: boolean;
}

function examineDocument(schema: SchemaNode): DocumentFacts {
  const refs: string[] = [];
  let nestedIds = false;
  let dialectSpecific = false;
  visitSchemas(schema, (node, _name, depth) => {
    for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) {
      if (typeof node[key] === 'string') refs.push(node[key] as string);
    }
    if (depth > 0 && '$id' in node) nestedIds = true;
    if (usesDialectSpecificKeywords(node)) dialectSpecific = true;
  });
  // `$id` sets the base URI refs resolve against: without refs it is inert; with only local
  // (`#…`) refs and no nested resources, the root `$id` is too. Otherwise every `$id` stays.
  const noRefs = refs.length === 0;
  const onlyLocalRefs = refs.every((ref) => ref.startsWith('#'));
  return {
    dropSchema: !dialectSpecific,
    dropRootId: noRefs || (onlyLocalRefs && !nestedIds),
    dropNestedIds: noRefs,
  };
}

/** Lowercased with spaces, underscores and hyphens removed: "Max Results" ≈ "max_results". */
function normalizeName(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

// FastMCP/pydantic title a tool's schemas `<tool>Arguments` and `<tool>Output`.
const ROOT_TITLE_SUFFIX = /(arguments|args|input|output|result|params|parameters)$/;

function repeatsName(title: unknown, name: string | undefined, isRoot: boolean): boolean {
  if (typeof title !== 'string' || name === undefined) return false;
  const normalizedTitle = normalizeName(title);
  const normalizedName = normalizeName(name);
  if (normalizedTitle === normalizedName) return true;
  return isRoot && normalizedTitle.replace(ROOT_TITLE_SUFFIX, '') === normalizedName;
}

/**
 * Deep copy of JSON data. Not `structuredClone`: its objects come from the main realm, which
 * deep-equality checks (ajv's `enum`/`const`) reject when the caller lives in another (jest's vm).
 */
function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (!isSchemaNode(value)) return value;
  const copy: SchemaNode = {};
  for (const [key, child] of Object.entries(value)) {
    // defineProperty, so an own `__proto__` key (JSON.parse makes those) stays a key, not a prototype.
    Object.defineProperty(copy, key, { value: cloneJson(child), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}

/** Compacts one schema document in place (the caller passes a private copy). */
function compactSchemaInPlace(schema: SchemaNode, toolName: string, options: CompactToolOptions): void {
  const facts = examineDocument(schema);
  visitSchemas(schema, (node, name, depth) => {
    for (const key of DROPPED_KEYWORDS) delete node[key];
    if (facts.dropSchema) delete node.$schema;
    if (depth === 0 ? facts.dropRootId : facts.dropNestedIds) delete node.$id;
    if (repeatsName(node.title, depth === 0 ? toolName : name, depth === 0)) delete node.title;
    if (options.maxDescriptionLength !== undefined && typeof node.description === 'string') {
      node.description = truncateDescription(node.description, options.maxDescriptionLength);
    }
  });
}

/**
 * Returns a copy of `tool` without what a model does not need, accepting exactly the same
 * arguments: drops `$comment`, `examples` and `example` at any depth of `inputSchema` and
 * `outputSchema`; `$schema` unless a keyword whose meaning depends on the draft is used; `$id`
 * unless a `$ref` could resolve against it; `title`s that only repeat the tool's, property's or
 * definition's name (ignoring case, spaces, underscores and hyphens). Every validation keyword,
 * `default`, `annotations` and `_meta` are kept. Optionally caps descriptions. Never mutates `tool`.
 *
 * Call it on a backend's tools before the gateway prefixes their names, so titles are compared
 * with the names the backend chose.
 */
export function compactTool(tool: Tool, options: CompactToolOptions = {}): Tool {
  const copy = cloneJson(tool);
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    const schema: unknown = copy[key];
    if (isSchemaNode(schema)) compactSchemaInPlace(schema, copy.name, options);
  }
  if (repeatsName(copy.title, copy.name, false)) delete copy.title;
  if (options.maxDescriptionLength !== undefined && typeof copy.description === 'string') {
    copy.description = truncateDescription(copy.description, options.maxDescriptionLength);
  }
  return copy;
}
