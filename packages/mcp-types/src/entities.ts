/**
 * MCP entities and the results of the list and call methods, taken from the SDK's schemas
 * (they cover both the 2026-07-28 and the 2025-11-25 revisions).
 */
import {
  CallToolRequestParamsSchema,
  CallToolResultSchema,
  ClientCapabilitiesSchema,
  CompleteRequestParamsSchema,
  CompleteResultSchema,
  DiscoverResultSchema,
  GetPromptRequestParamsSchema,
  GetPromptResultSchema,
  ImplementationSchema,
  InitializeRequestParamsSchema,
  InitializeResultSchema,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  PaginatedRequestParamsSchema,
  PromptArgumentSchema,
  PromptSchema,
  ReadResourceRequestParamsSchema,
  ReadResourceResultSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ServerCapabilitiesSchema,
  SubscribeRequestParamsSchema,
  ToolSchema,
  UnsubscribeRequestParamsSchema,
} from '@modelcontextprotocol/core';
import type { z } from 'zod';

export {
  CallToolRequestParamsSchema,
  CallToolResultSchema,
  ClientCapabilitiesSchema,
  CompleteResultSchema,
  DiscoverResultSchema,
  GetPromptRequestParamsSchema,
  GetPromptResultSchema,
  ImplementationSchema,
  InitializeRequestParamsSchema,
  InitializeResultSchema,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  PromptArgumentSchema,
  PromptSchema,
  ReadResourceRequestParamsSchema,
  ReadResourceResultSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ServerCapabilitiesSchema,
  ToolSchema,
};

/** A tool a server offers. */
export type Tool = z.infer<typeof ToolSchema>;
/** A resource a server offers, addressed by URI. */
export type Resource = z.infer<typeof ResourceSchema>;
/** A parameterised family of resources (RFC 6570 URI template). */
export type ResourceTemplate = z.infer<typeof ResourceTemplateSchema>;
/** A prompt template a server offers. */
export type Prompt = z.infer<typeof PromptSchema>;
/** One argument of a prompt. */
export type PromptArgument = z.infer<typeof PromptArgumentSchema>;
/** Name and version of a client or server. */
export type Implementation = z.infer<typeof ImplementationSchema>;
/** What a server can do. */
export type ServerCapabilities = z.infer<typeof ServerCapabilitiesSchema>;
/** What a client can do. */
export type ClientCapabilities = z.infer<typeof ClientCapabilitiesSchema>;
/** Params of `initialize` (2025-11-25 and older). */
export type InitializeRequestParams = z.infer<typeof InitializeRequestParamsSchema>;
/** Result of `initialize` (2025-11-25 and older). */
export type InitializeResult = z.infer<typeof InitializeResultSchema>;
/** Result of `server/discover` (2026-07-28). */
export type DiscoverResult = z.infer<typeof DiscoverResultSchema>;
/** Result of `tools/list`. */
export type ListToolsResult = z.infer<typeof ListToolsResultSchema>;
/** Result of `resources/list`. */
export type ListResourcesResult = z.infer<typeof ListResourcesResultSchema>;
/** Result of `resources/templates/list`. */
export type ListResourceTemplatesResult = z.infer<typeof ListResourceTemplatesResultSchema>;
/** Result of `prompts/list`. */
export type ListPromptsResult = z.infer<typeof ListPromptsResultSchema>;
/** Params of `tools/call`. */
export type CallToolRequestParams = z.infer<typeof CallToolRequestParamsSchema>;
/** Result of `tools/call`. */
export type CallToolResult = z.infer<typeof CallToolResultSchema>;
/** Params of `resources/read`. */
export type ReadResourceRequestParams = z.infer<typeof ReadResourceRequestParamsSchema>;
/** Result of `resources/read`. */
export type ReadResourceResult = z.infer<typeof ReadResourceResultSchema>;
/** Params of `prompts/get`. */
export type GetPromptRequestParams = z.infer<typeof GetPromptRequestParamsSchema>;
/** Result of `prompts/get`. */
export type GetPromptResult = z.infer<typeof GetPromptResultSchema>;
/** Result of `completion/complete`. */
export type CompleteResult = z.infer<typeof CompleteResultSchema>;

/** The list methods the gateway aggregates across backends, with the result key that holds the items. */
export const LIST_METHODS = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
} as const;

/** A list method the gateway aggregates. */
export type ListMethod = keyof typeof LIST_METHODS;

/**
 * The params schema of each request the gateway routes (the SDK's, as its Server validates them):
 * a request answered without the SDK server is checked against the same, so a client's malformed
 * params are its fault (-32602) on every path, never a backend's or the gateway's.
 */
export const ROUTED_REQUEST_PARAMS = {
  'tools/list': PaginatedRequestParamsSchema,
  'prompts/list': PaginatedRequestParamsSchema,
  'resources/list': PaginatedRequestParamsSchema,
  'resources/templates/list': PaginatedRequestParamsSchema,
  'tools/call': CallToolRequestParamsSchema,
  'prompts/get': GetPromptRequestParamsSchema,
  'resources/read': ReadResourceRequestParamsSchema,
  'resources/subscribe': SubscribeRequestParamsSchema,
  'resources/unsubscribe': UnsubscribeRequestParamsSchema,
  'completion/complete': CompleteRequestParamsSchema,
} as const;

/**
 * Limits on tool and prompt names (SEP-986): 1 to 128 characters from A-Z a-z 0-9 _ - . /
 * The gateway's prefixed names must stay within them.
 */
export const NAME_RULES = {
  maxLength: 128,
  pattern: /^[A-Za-z0-9_\-./]{1,128}$/,
} as const;
