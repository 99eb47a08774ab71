import type { Tool } from '@only1mcp/mcp-types';
import { compactTool, type CompactToolOptions } from './compactTool';
import { SEARCH_LIMIT } from './metaTools';

/** One search hit: a tool name and the first line of its description. */
export interface ToolSearchResult {
  /** The tool's exact name. */
  name: string;
  /** The first sentence or line of its description, at most 160 characters ('' if none). */
  description: string;
}

const SUMMARY_LENGTH = 160;

/**
 * Points per query word. Each query word scores once, with its best match, so a long description
 * that repeats a word does not outrank a tool named after it.
 */
export const SEARCH_SCORES = {
  /** The whole query equals the tool name (ignoring case), on top of the word scores. */
  exactName: 100,
  /** The word equals a part of the name (`search_issues` → `search`, `issues`). */
  namePart: 10,
  /** The word starts a part of the name (`issue` → `issues`). */
  namePrefix: 5,
  /** The word equals a word of the title or description. */
  descriptionWord: 3,
  /** The word starts a word of the title or description. */
  descriptionPrefix: 1,
} as const;

/** Lowercase alphanumeric words; camelCase is split first (`listIssues` → `list`, `issues`). */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function summarize(description: string | undefined): string {
  const text = (description ?? '').trim();
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const firstSentence = /^.*?[.!?](?=\s|$)/.exec(firstLine)?.[0] ?? firstLine;
  return firstSentence.length <= SUMMARY_LENGTH ? firstSentence : `${firstSentence.slice(0, SUMMARY_LENGTH - 1)}…`;
}

function scoreTool(tool: Tool, query: string, queryWords: readonly string[]): number {
  const nameParts = new Set(tokenize(tool.name));
  const textWords = new Set(tokenize(`${tool.title ?? ''} ${tool.description ?? ''}`));
  let score = tool.name.toLowerCase() === query.trim().toLowerCase() ? SEARCH_SCORES.exactName : 0;
  for (const word of queryWords) {
    const startsOne = (words: Set<string>) => [...words].some((candidate) => candidate.startsWith(word));
    if (nameParts.has(word)) score += SEARCH_SCORES.namePart;
    else if (startsOne(nameParts)) score += SEARCH_SCORES.namePrefix;
    else if (textWords.has(word)) score += SEARCH_SCORES.descriptionWord;
    else if (startsOne(textWords)) score += SEARCH_SCORES.descriptionPrefix;
  }
  return score;
}

/**
 * Ranks `tools` against `query` with {@link SEARCH_SCORES} (name and title/description words, see
 * {@link tokenize}) and returns the best `limit` (clamped to 1..50, default 10) with a score above
 * zero; ties keep name order. A query without letters or digits matches nothing.
 */
export function searchTools(
  tools: readonly Tool[],
  query: string,
  limit: number = SEARCH_LIMIT.default,
): ToolSearchResult[] {
  const queryWords = [...new Set(tokenize(query))];
  if (queryWords.length === 0) return [];
  const cap = Number.isFinite(limit)
    ? Math.min(SEARCH_LIMIT.max, Math.max(1, Math.floor(limit)))
    : SEARCH_LIMIT.default;
  return tools
    .map((tool) => ({ tool, score: scoreTool(tool, query, queryWords) }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || (a.tool.name < b.tool.name ? -1 : a.tool.name > b.tool.name ? 1 : 0))
    .slice(0, cap)
    .map(({ tool }) => ({ name: tool.name, description: summarize(tool.description) }));
}

/** The tool called exactly `name`, compacted with `options`, or undefined if there is none. */
export function describeTool(tools: readonly Tool[], name: string, options: CompactToolOptions = {}): Tool | undefined {
  const tool = tools.find((candidate) => candidate.name === name);
  return tool === undefined ? undefined : compactTool(tool, options);
}
