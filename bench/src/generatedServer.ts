#!/usr/bin/env node
/**
 * A stdio MCP server with many realistic tools, for the context benchmark:
 *
 *   node bench/dist/generatedServer.js --tools 60 --domain crm [--start-delay 2000]
 *
 * Each tool has the shape real servers publish: a description of a few sentences, an input schema
 * with `$schema`, titles that repeat property names, nested objects, enums, arrays and examples —
 * what schema compaction is meant to strip. Calls answer with their arguments. `--start-delay MS`
 * waits that long, without using the CPU, before it serves: a start that waits as one fetching
 * its package does.
 */
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const VERBS = ['get', 'list', 'create', 'update', 'delete', 'search', 'archive', 'export', 'sync', 'assign'];
const NOUNS = ['record', 'contact', 'invoice', 'ticket', 'project', 'report', 'comment', 'label', 'file', 'user'];

/** Tool `index` of a domain: deterministic, so every run measures the same catalogue. */
export function generatedTool(domain: string, index: number): Record<string, unknown> {
  const verb = VERBS[index % VERBS.length]!;
  const noun = NOUNS[Math.floor(index / VERBS.length) % NOUNS.length]!;
  const name = `${verb}_${noun}${index >= 100 ? `_${Math.floor(index / 100)}` : ''}`;
  return {
    name,
    description:
      `${verb[0]!.toUpperCase()}${verb.slice(1)} a ${noun} in the ${domain} system. Use this when the user asks ` +
      `to ${verb} one or more ${noun}s; it returns the ${noun} as stored after the operation, including its ` +
      `identifier, timestamps and owner. Fails when the caller lacks permission on the ${noun}'s workspace.`,
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: name,
      properties: {
        workspace_id: {
          type: 'string',
          title: 'Workspace Id',
          description: 'The workspace that owns it.',
          examples: ['ws_123'],
        },
        [`${noun}_id`]: {
          type: 'string',
          title: `${noun} id`,
          description: `Identifier of the ${noun}.`,
          examples: [`${noun}_42`],
        },
        fields: {
          type: 'object',
          title: 'Fields',
          description: `Fields of the ${noun} to set or match.`,
          properties: {
            title: { type: 'string', maxLength: 200, title: 'Title' },
            status: { type: 'string', enum: ['open', 'pending', 'closed'], title: 'Status', default: 'open' },
            tags: { type: 'array', items: { type: 'string' }, title: 'Tags', examples: [['urgent', 'q3']] },
          },
          additionalProperties: false,
        },
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, title: 'Limit', description: 'Most results.' },
      },
      required: ['workspace_id'],
      additionalProperties: false,
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tools: { type: 'string', default: '20' },
      domain: { type: 'string', default: 'gen' },
      'start-delay': { type: 'string', default: '0' },
    },
  });
  const delayMs = Number(values['start-delay']);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const count = Number(values.tools);
  const tools = Array.from({ length: count }, (_, i) => generatedTool(values.domain!, i));
  const server = new McpServer(
    { name: `generated-${values.domain}`, version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools as never }));
  server.server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }],
  }));
  await server.connect(new StdioServerTransport());
}

if (require.main === module) void main();
