/**
 * Realistic tool schemas as MCP servers publish them (zod-to-json-schema, FastMCP/pydantic,
 * hand-written 2020-12), each with argument objects that must (`valid`) or must not pass.
 */
import type { Tool } from '@only1mcp/mcp-types';

/** A tool and sample arguments with the verdict the original schema gives them. */
export interface SchemaFixture {
  tool: Tool;
  valid: unknown[];
  invalid: unknown[];
}

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** zod-to-json-schema output (draft-07): nested object, enum, array, strict objects. */
const createIssue: SchemaFixture = {
  tool: {
    name: 'create_issue',
    title: 'Create Issue',
    description: 'Create a new issue in a GitHub repository.',
    inputSchema: {
      $schema: DRAFT_07,
      type: 'object',
      properties: {
        owner: { type: 'string', title: 'Owner', description: 'Repository owner', examples: ['octocat'] },
        repo: { type: 'string', title: 'repo', minLength: 1 },
        title: { type: 'string', title: 'Title', maxLength: 256 },
        labels: { type: 'array', items: { type: 'string', pattern: '^[a-z-]+$' }, uniqueItems: true },
        priority: { type: 'string', enum: ['low', 'medium', 'high'], default: 'medium', $comment: 'maps to P3..P1' },
        assignee: {
          type: 'object',
          title: 'Who works on it',
          properties: { login: { type: 'string' }, team: { type: 'boolean', default: false } },
          required: ['login'],
          additionalProperties: false,
          example: { login: 'octocat' },
        },
      },
      required: ['owner', 'repo', 'title'],
      additionalProperties: false,
    },
    annotations: { destructiveHint: false },
    _meta: { 'example.com/origin': 'github' },
  },
  valid: [
    { owner: 'o', repo: 'r', title: 't' },
    { owner: 'o', repo: 'r', title: 't', labels: ['bug', 'ui-x'], priority: 'high', assignee: { login: 'a' } },
  ],
  invalid: [
    { owner: 'o', repo: '', title: 't' },
    { owner: 'o', repo: 'r' },
    { owner: 'o', repo: 'r', title: 't', priority: 'urgent' },
    { owner: 'o', repo: 'r', title: 't', labels: ['Bug'] },
    { owner: 'o', repo: 'r', title: 't', labels: ['a', 'a'] },
    { owner: 'o', repo: 'r', title: 't', assignee: { login: 'a', extra: 1 } },
    { owner: 'o', repo: 'r', title: 't', extra: true },
  ],
};

/** FastMCP (pydantic) output: root title `<tool>Arguments`, $defs + $ref, anyOf with null. */
const searchIssues: SchemaFixture = {
  tool: {
    name: 'search_issues',
    description: 'Search issues.\n\nArgs:\n    query: text to search for\n    max_results: how many',
    inputSchema: {
      type: 'object',
      title: 'search_issuesArguments',
      $defs: {
        DateRange: {
          type: 'object',
          title: 'DateRange',
          properties: {
            since: { type: 'string', format: 'date', title: 'Since' },
            until: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }], default: null, title: 'Until' },
          },
          required: ['since'],
        },
      },
      properties: {
        query: { type: 'string', title: 'Query', examples: ['is:open label:bug'] },
        max_results: { type: 'integer', title: 'Max Results', minimum: 1, maximum: 100, default: 20 },
        range: { anyOf: [{ $ref: '#/$defs/DateRange' }, { type: 'null' }], default: null, title: 'Date window' },
      },
      required: ['query'],
    },
    outputSchema: {
      type: 'object',
      title: 'search_issuesOutput',
      properties: { result: { type: 'array', items: { type: 'string' }, title: 'Result' } },
      required: ['result'],
    },
  },
  valid: [
    { query: 'x' },
    { query: 'x', max_results: 100, range: { since: '2024-01-01' } },
    { query: 'x', range: null },
  ],
  invalid: [
    {},
    { query: 1 },
    { query: 'x', max_results: 0 },
    { query: 'x', max_results: 1.5 },
    { query: 'x', range: { until: null } },
    { query: 'x', range: 'soon' },
  ],
};

/** Hand-written 2020-12 with a root `$id`, local refs, oneOf/const discriminator, prefixItems. */
const drawShape: SchemaFixture = {
  tool: {
    name: 'draw_shape',
    description: 'Draw a shape on the canvas.',
    inputSchema: {
      $schema: DRAFT_2020,
      $id: 'https://example.com/schemas/draw_shape.json',
      type: 'object',
      $defs: {
        point: {
          type: 'array',
          prefixItems: [{ type: 'number' }, { type: 'number' }],
          items: false,
          minItems: 2,
          examples: [[0, 0]],
        },
      },
      properties: {
        shape: {
          oneOf: [
            {
              type: 'object',
              properties: {
                kind: { const: 'circle' },
                center: { $ref: '#/$defs/point' },
                r: { type: 'number', exclusiveMinimum: 0 },
              },
              required: ['kind', 'center', 'r'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: {
                kind: { const: 'polygon' },
                points: { type: 'array', items: { $ref: '#/$defs/point' }, minItems: 3 },
              },
              required: ['kind', 'points'],
              additionalProperties: false,
            },
          ],
        },
        color: { type: 'string', pattern: '^#[0-9a-f]{6}$', $comment: 'lowercase hex only' },
      },
      required: ['shape'],
      additionalProperties: false,
    },
  },
  valid: [
    { shape: { kind: 'circle', center: [1, 2], r: 3 } },
    {
      shape: {
        kind: 'polygon',
        points: [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      },
      color: '#00ff00',
    },
  ],
  invalid: [
    { shape: { kind: 'circle', center: [1, 2], r: 0 } },
    { shape: { kind: 'circle', center: [1, 2, 3], r: 1 } },
    {
      shape: {
        kind: 'polygon',
        points: [
          [0, 0],
          [1, 0],
        ],
      },
    },
    { shape: { kind: 'square' } },
    { shape: { kind: 'circle', center: [1, 2], r: 1 }, color: '#00FF00' },
  ],
};

/** Properties named like the dropped keywords; `enum`/`default` data that contains them too. */
const keywordNamedProperties: SchemaFixture = {
  tool: {
    name: 'save_note',
    inputSchema: {
      type: 'object',
      properties: {
        title: { type: 'string', title: 'Title' },
        examples: { type: 'array', items: { type: 'string' } },
        $comment: { type: 'string' },
        $id: { type: 'integer' },
        style: {
          enum: [{ title: 'plain', examples: [] }, { title: 'fancy' }],
          default: { title: 'plain', examples: [] },
        },
      },
      required: ['title', 'examples', '$comment', '$id'],
      additionalProperties: false,
    },
  },
  valid: [
    { title: 't', examples: [], $comment: 'c', $id: 1 },
    { title: 't', examples: ['e'], $comment: 'c', $id: 1, style: { title: 'plain', examples: [] } },
  ],
  invalid: [
    { examples: [], $comment: 'c', $id: 1 },
    { title: 't', $comment: 'c', $id: 1 },
    { title: 't', examples: [], $id: 1 },
    { title: 't', examples: [], $comment: 'c', $id: 1, style: { title: 'plain' } },
  ],
};

/** draft-07 keywords that mean something else in 2020-12 (tuple `items`, `$ref` siblings): `$schema` must stay. */
const draft07Tuple: SchemaFixture = {
  tool: {
    name: 'set_range',
    inputSchema: {
      $schema: DRAFT_07,
      type: 'object',
      definitions: { small: { type: 'integer', maximum: 10 } },
      properties: {
        range: { type: 'array', items: [{ type: 'integer' }, { type: 'integer' }], additionalItems: false },
        // draft-07 ignores `minimum` beside `$ref`; 2020-12 would apply it.
        step: { $ref: '#/definitions/small', minimum: 5 },
      },
      required: ['range'],
    },
  },
  // (ajv applies `$ref` siblings in every draft, so `step: 1` fails under both.)
  valid: [{ range: [1, 2] }, { range: [1, 2], step: 7 }],
  invalid: [{ range: [1, 2, 3] }, { range: ['a', 2] }, { range: [1, 2], step: 11 }, { range: [1, 2], step: 1 }],
};

/** A nested resource (`$id`) reached by a relative `$ref`: every `$id` must stay. */
const nestedResource: SchemaFixture = {
  tool: {
    name: 'ship_order',
    inputSchema: {
      $id: 'https://example.com/ship_order.json',
      type: 'object',
      $defs: {
        address: {
          $id: 'https://example.com/address.json',
          type: 'object',
          properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' } },
          required: ['zip'],
        },
      },
      properties: { to: { $ref: 'address.json' } },
      required: ['to'],
    },
  },
  valid: [{ to: { zip: '12345' } }],
  invalid: [{ to: { zip: '1234' } }, { to: {} }, {}],
};

/** Every fixture, for the validation-equivalence test. */
export const SCHEMA_FIXTURES: Record<string, SchemaFixture> = {
  createIssue,
  searchIssues,
  drawShape,
  keywordNamedProperties,
  draft07Tuple,
  nestedResource,
};
