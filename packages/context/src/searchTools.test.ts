import type { Tool } from '@only1mcp/mcp-types';
import { ToolSchema } from '@only1mcp/mcp-types';
import { generateTools } from '../test/toolFixtures';
import {
  CALL_TOOL_NAME,
  DESCRIBE_TOOL_NAME,
  isMetaToolName,
  LAZY_TOOLS_GUIDE,
  META_TOOLS,
  SEARCH_TOOLS_NAME,
} from './metaTools';
import { describeTool, searchTools, tokenize } from './searchTools';

const tool = (name: string, description?: string): Tool => ({ name, description, inputSchema: { type: 'object' } });
const tools = [
  tool('github__create_issue', 'Create a new issue in a repository.\nLong details follow.'),
  tool('github__list_issues', 'List issues of a repository. Paginated.'),
  tool('jira__create_ticket', 'Create a Jira ticket (an issue in Jira).'),
  tool('slack__postMessage', 'Post a message to a channel.'),
  tool('issue', 'Does something unrelated.'),
  tool('undocumented'),
];

describe('tokenize', () => {
  it('splits on non-alphanumerics and camelCase, lowercased', () => {
    expect(tokenize('slack__postMessage v2.Final')).toEqual(['slack', 'post', 'message', 'v2', 'final']);
  });
});

describe('searchTools', () => {
  it('ranks an exact name match first, then name parts over description words', () => {
    expect(searchTools(tools, 'issue').map((hit) => hit.name)).toEqual([
      'issue',
      'github__create_issue',
      'github__list_issues',
      'jira__create_ticket',
    ]);
    expect(searchTools(tools, 'create issue')[0]).toEqual({
      name: 'github__create_issue',
      description: 'Create a new issue in a repository.',
    });
    expect(searchTools(tools, 'post message')[0]!.name).toBe('slack__postMessage');
  });

  it('returns nothing for a query without words or without matches', () => {
    expect(searchTools(tools, ' -- ')).toEqual([]);
    expect(searchTools(tools, 'kubernetes')).toEqual([]);
  });

  it('applies the limit, clamped to 1..50', () => {
    const many = generateTools(120);
    expect(searchTools(many, 'issues')).toHaveLength(10);
    expect(searchTools(many, 'issues', 3)).toHaveLength(3);
    expect(searchTools(many, 'issues', 0)).toHaveLength(1);
    expect(searchTools(many, 'workspace', 500)).toHaveLength(50);
  });
});

describe('describeTool', () => {
  it('returns the compacted definition of an exact name, or undefined', () => {
    const [full] = generateTools(1);
    const described = describeTool([full!], full!.name, { maxDescriptionLength: 30 })!;
    expect(described.name).toBe(full!.name);
    expect(described.description!.length).toBeLessThanOrEqual(30);
    expect(JSON.stringify(described)).not.toContain('examples');
    expect(describeTool(tools, 'github__CREATE_ISSUE')).toBeUndefined();
    expect(describeTool(tools, 'nope')).toBeUndefined();
  });
});

describe('META_TOOLS', () => {
  it('are valid MCP tools with the documented names', () => {
    expect(META_TOOLS.map((meta) => ToolSchema.parse(meta).name)).toEqual([
      SEARCH_TOOLS_NAME,
      DESCRIBE_TOOL_NAME,
      CALL_TOOL_NAME,
    ]);
    expect(META_TOOLS.every((meta) => isMetaToolName(meta.name))).toBe(true);
    expect(isMetaToolName('github__create_issue')).toBe(false);
    for (const meta of META_TOOLS) expect(LAZY_TOOLS_GUIDE).toContain(meta.name);
  });
});
