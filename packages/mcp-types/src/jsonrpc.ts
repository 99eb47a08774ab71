/**
 * JSON-RPC 2.0 message types, taken from the MCP SDK's schemas rather than written again.
 */
import {
  JSONRPCErrorResponseSchema,
  JSONRPCMessageSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResponseSchema,
  JSONRPCResultResponseSchema,
  RequestIdSchema,
} from '@modelcontextprotocol/core';
import type { z } from 'zod';
import type { ErrorCode } from './errorCodes';
import { JSONRPC_VERSION } from './protocol';

export {
  JSONRPCErrorResponseSchema,
  JSONRPCMessageSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResponseSchema,
  JSONRPCResultResponseSchema,
  RequestIdSchema,
};

/** A JSON-RPC request id: a string or an integer (never null in MCP). */
export type RequestId = z.infer<typeof RequestIdSchema>;
/** A JSON-RPC request: has an id and expects a response. */
export type JsonRpcRequest = z.infer<typeof JSONRPCRequestSchema>;
/** A JSON-RPC notification: no id, no response. */
export type JsonRpcNotification = z.infer<typeof JSONRPCNotificationSchema>;
/** A successful JSON-RPC response. */
export type JsonRpcResultResponse = z.infer<typeof JSONRPCResultResponseSchema>;
/** A JSON-RPC error response. The id is absent when the request's id could not be read. */
export type JsonRpcErrorResponse = z.infer<typeof JSONRPCErrorResponseSchema>;
/** Either kind of JSON-RPC response. */
export type JsonRpcResponse = z.infer<typeof JSONRPCResponseSchema>;
/** Any JSON-RPC message MCP allows on the wire. */
export type JsonRpcMessage = z.infer<typeof JSONRPCMessageSchema>;
/** The `error` member of a JSON-RPC error response. */
export type JsonRpcError = JsonRpcErrorResponse['error'];

/** Builds a JSON-RPC error response; `id` is omitted when the request's id is unknown. */
export function jsonRpcError(
  id: RequestId | undefined,
  code: ErrorCode,
  message: string,
  data?: unknown,
): JsonRpcErrorResponse {
  const error: JsonRpcError = data === undefined ? { code, message } : { code, message, data };
  return id === undefined ? { jsonrpc: JSONRPC_VERSION, error } : { jsonrpc: JSONRPC_VERSION, id, error };
}

/** Builds a successful JSON-RPC response. */
export function jsonRpcResult(id: RequestId, result: Record<string, unknown>): JsonRpcResultResponse {
  return { jsonrpc: JSONRPC_VERSION, id, result };
}

/** True when the message is a request (has `method` and `id`). */
export function isJsonRpcRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return 'method' in message && 'id' in message;
}

/** True when the message is a notification (has `method`, no `id`). */
export function isJsonRpcNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return 'method' in message && !('id' in message);
}

/** True when the message is a response, successful or not. */
export function isJsonRpcResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !('method' in message);
}
