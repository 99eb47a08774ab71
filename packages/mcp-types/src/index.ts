/**
 * @only1mcp/mcp-types: the single definition of the protocol types, constants and error codes
 * the gateway uses. Any new export here is public API.
 */
export {
  CURRENT_PROTOCOL_VERSION,
  JSONRPC_VERSION,
  LATEST_SESSION_PROTOCOL_VERSION,
  MCP_HEADERS,
  MEDIA_TYPES,
  META_KEYS,
  SESSION_PROTOCOL_VERSIONS,
  SUPPORTED_PROTOCOL_VERSIONS,
  mediaTypeOf,
  protocolGeneration,
} from './protocol';
export type { ProtocolGeneration, ProtocolVersion } from './protocol';

export {
  JSONRPCErrorResponseSchema,
  JSONRPCMessageSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResponseSchema,
  JSONRPCResultResponseSchema,
  RequestIdSchema,
  isJsonRpcNotification,
  isJsonRpcRequest,
  isJsonRpcResponse,
  jsonRpcError,
  jsonRpcResult,
} from './jsonrpc';
export type {
  JsonRpcError,
  JsonRpcErrorResponse,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcResultResponse,
  RequestId,
} from './jsonrpc';

export { ERROR_CODES, ErrorCode, errorCodeName } from './errorCodes';
export type { ErrorCodeInfo, ErrorCodeName, ErrorFault } from './errorCodes';

export { GatewayError, toJsonRpcError } from './gatewayError';
export type { GatewayErrorOptions } from './gatewayError';

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
  LIST_METHODS,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  NAME_RULES,
  PromptArgumentSchema,
  PromptSchema,
  ReadResourceRequestParamsSchema,
  ReadResourceResultSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ROUTED_REQUEST_PARAMS,
  ServerCapabilitiesSchema,
  ToolSchema,
} from './entities';
export type {
  CallToolRequestParams,
  CallToolResult,
  ClientCapabilities,
  CompleteResult,
  DiscoverResult,
  GetPromptRequestParams,
  GetPromptResult,
  Implementation,
  InitializeRequestParams,
  InitializeResult,
  ListMethod,
  ListPromptsResult,
  ListResourceTemplatesResult,
  ListResourcesResult,
  ListToolsResult,
  Prompt,
  PromptArgument,
  ReadResourceRequestParams,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from './entities';
