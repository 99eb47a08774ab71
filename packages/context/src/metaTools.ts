import type { Tool } from '@only1mcp/mcp-types';

/** Meta-tool: find tools by keywords. */
export const SEARCH_TOOLS_NAME = 'only1mcp__search_tools';
/** Meta-tool: get one tool's full definition. */
export const DESCRIBE_TOOL_NAME = 'only1mcp__describe_tool';
/** Meta-tool: call a tool by name; the gateway routes it as if the client had called `name` directly. */
export const CALL_TOOL_NAME = 'only1mcp__call_tool';

/** Default and largest number of results of {@link SEARCH_TOOLS_NAME}. */
export const SEARCH_LIMIT = { default: 10, max: 50 } as const;

/** The three tools a client sees instead of every backend tool when lazy tool loading is on. */
export const META_TOOLS: readonly Tool[] = [
  {
    name: SEARCH_TOOLS_NAME,
    title: 'Search tools',
    description:
      'Find available tools by keywords. Returns up to `limit` tool names with one-line descriptions, best match first.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'Keywords or a tool name, e.g. "create github issue".' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: SEARCH_LIMIT.max,
          default: SEARCH_LIMIT.default,
          description: 'Most results to return.',
        },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: DESCRIBE_TOOL_NAME,
    title: 'Describe tool',
    description: "Get a tool's full definition, including the JSON Schema of its arguments.",
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'Exact tool name, as returned by the search.' } },
      required: ['name'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: CALL_TOOL_NAME,
    title: 'Call tool',
    description: 'Call a tool by its exact name with arguments matching its input schema; returns that tool’s result.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Exact tool name.' },
        arguments: { type: 'object', description: 'Arguments for the tool, as described by its input schema.' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    // No hints: what the call does depends entirely on the tool it names.
  },
];

/** True if `name` is one of the lazy-loading meta-tools. */
export function isMetaToolName(name: string): boolean {
  return name === SEARCH_TOOLS_NAME || name === DESCRIBE_TOOL_NAME || name === CALL_TOOL_NAME;
}

/** Tells a model how to use the meta-tools; the gateway puts it in its `instructions`. */
export const LAZY_TOOLS_GUIDE = `## Tools through Only1MCP
This server gives access to many tools, but lists only three to save context:
1. \`${SEARCH_TOOLS_NAME}\` with \`query\` (keywords such as "github issue create"): returns matching tool names and one-line descriptions, best first. Search again with other words if nothing fits.
2. \`${DESCRIBE_TOOL_NAME}\` with \`name\`: returns that tool's full definition, including its input schema. Do this before the first call of a tool.
3. \`${CALL_TOOL_NAME}\` with \`name\` and \`arguments\` (an object matching the input schema): runs the tool and returns its result.
Use exact names from the search results; never guess a name or its arguments.`;
