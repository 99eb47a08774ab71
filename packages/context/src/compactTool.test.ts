import type { Tool } from '@only1mcp/mcp-types';
import { SCHEMA_FIXTURES } from '../test/schemaFixtures';
import { compactTool } from './compactTool';
import { truncateDescription } from './truncateDescription';

const fixture = (label: string): Tool => SCHEMA_FIXTURES[label]!.tool;
const props = (tool: Tool, schema: 'inputSchema' | 'outputSchema' = 'inputSchema') =>
  (tool[schema] as { properties: Record<string, Record<string, unknown>> }).properties;

describe('compactTool', () => {
  it('drops annotations at any depth and keeps validation keywords, defaults, annotations and _meta', () => {
    const tool = fixture('createIssue');
    const compacted = compactTool(tool);
    const json = JSON.stringify(compacted);
    for (const dropped of ['$schema', '$comment', '"examples"', '"example"']) expect(json).not.toContain(dropped);
    expect(props(compacted).priority).toEqual({ type: 'string', enum: ['low', 'medium', 'high'], default: 'medium' });
    expect(props(compacted).labels).toEqual(props(tool).labels);
    expect(compacted.annotations).toEqual(tool.annotations);
    expect(compacted._meta).toEqual(tool._meta);
  });

  it('removes titles that repeat a name and keeps meaningful ones', () => {
    const issue = compactTool(fixture('createIssue'));
    expect(issue.title).toBeUndefined(); // "Create Issue" ≈ create_issue
    expect(props(issue).owner!.title).toBeUndefined();
    expect(props(issue).repo!.title).toBeUndefined();
    expect(props(issue).assignee!.title).toBe('Who works on it');

    const search = compactTool(fixture('searchIssues'));
    const input = search.inputSchema as unknown as Record<string, unknown> & {
      $defs: { DateRange: Record<string, unknown> };
    };
    expect(input.title).toBeUndefined(); // search_issuesArguments
    expect((search.outputSchema as Record<string, unknown>).title).toBeUndefined(); // search_issuesOutput
    expect(props(search).max_results!.title).toBeUndefined(); // "Max Results"
    expect(props(search).range!.title).toBe('Date window');
    expect(input.$defs.DateRange.title).toBeUndefined();
    expect(props(search).range!.default).toBeNull();
  });

  it('keeps properties named like dropped keywords, and data that contains them', () => {
    const tool = fixture('keywordNamedProperties');
    const compacted = compactTool(tool);
    expect(Object.keys(props(compacted))).toEqual(['title', 'examples', '$comment', '$id', 'style']);
    expect(props(compacted).style).toEqual(props(tool).style);
  });

  it('keeps $schema when a keyword depends on the draft, and $id when a ref resolves against it', () => {
    expect(compactTool(fixture('draft07Tuple')).inputSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const nested = compactTool(fixture('nestedResource')).inputSchema as Record<string, unknown>;
    expect(nested.$id).toBe('https://example.com/ship_order.json');
    expect(JSON.stringify(nested)).toContain('https://example.com/address.json');
    // Only local refs and no nested resource: the root $id goes.
    expect(compactTool(fixture('drawShape')).inputSchema.$id).toBeUndefined();
  });

  it('caps tool and schema descriptions when asked', () => {
    const compacted = compactTool(fixture('searchIssues'), { maxDescriptionLength: 10 });
    expect(compacted.description).toBe('Search…');
    expect(compactTool(fixture('createIssue'), { maxDescriptionLength: 12 }).description).toBe('Create a…');
    expect(props(compactTool(fixture('createIssue'))).owner!.description).toBe('Repository owner');
    expect(props(compactTool(fixture('createIssue'), { maxDescriptionLength: 12 })).owner!.description).toBe(
      'Repository…',
    );
  });

  it('never mutates its input', () => {
    for (const { tool } of Object.values(SCHEMA_FIXTURES)) {
      const before = JSON.stringify(tool);
      const compacted = compactTool(tool, { maxDescriptionLength: 5 });
      (compacted.inputSchema as Record<string, unknown>).extra = 1;
      expect(JSON.stringify(tool)).toBe(before);
    }
  });
});

describe('truncateDescription', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateDescription('short', 5)).toBe('short');
  });

  it('cuts at a word boundary, within the limit, ellipsis included', () => {
    const text = 'Search the repository issues for matching text';
    for (const max of [8, 15, 20, 30, 45]) {
      const cut = truncateDescription(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.endsWith('…')).toBe(true);
      expect(text.startsWith(cut.slice(0, -1))).toBe(true);
      expect(text.charAt(cut.length - 1)).toBe(' ');
    }
    expect(truncateDescription('Search, then list', 10)).toBe('Search…');
  });

  it('cuts mid-word when the only boundary would waste most of the allowance', () => {
    expect(truncateDescription('a supercalifragilistic word', 12)).toBe('a supercali…');
    expect(truncateDescription('😀😀😀', 4)).toBe('😀…');
  });

  it('rejects a non-positive or fractional limit', () => {
    expect(() => truncateDescription('text', 0)).toThrow(RangeError);
    expect(() => truncateDescription('text', 2.5)).toThrow(RangeError);
  });
});
