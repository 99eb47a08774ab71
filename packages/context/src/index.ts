/**
 * @only1mcp/context: shrinks what the gateway sends to a model (token counting, schema
 * compaction, tool filtering, lazy tool loading through meta-tools). Any new export here is
 * public API.
 */
export { countTextTokens, countTokens, TOKEN_ENCODING } from './countTokens';
export { compactTool } from './compactTool';
export type { CompactToolOptions } from './compactTool';
export { ELLIPSIS, truncateDescription } from './truncateDescription';
export { compileGlob, createToolNameFilter, filterTools } from './filterTools';
export type { ToolFilterOptions } from './filterTools';
export {
  CALL_TOOL_NAME,
  DESCRIBE_TOOL_NAME,
  isMetaToolName,
  LAZY_TOOLS_GUIDE,
  META_TOOLS,
  SEARCH_LIMIT,
  SEARCH_TOOLS_NAME,
} from './metaTools';
export { describeTool, SEARCH_SCORES, searchTools, tokenize } from './searchTools';
export type { ToolSearchResult } from './searchTools';
export { listSavings } from './listSavings';
export type { ListSavings } from './listSavings';
