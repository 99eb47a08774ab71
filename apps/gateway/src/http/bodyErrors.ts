/** The answers to an unreadable request body, written once for the Express app and the `/mcp` hot path. */
import { ErrorCode, jsonRpcError, type JsonRpcErrorResponse } from '@only1mcp/mcp-types';

/** 413: the body is over `server.max_body_size`. */
export function bodyTooLarge(limit: number): { status: number; body: JsonRpcErrorResponse } {
  return {
    status: 413,
    body: jsonRpcError(undefined, ErrorCode.InvalidRequest, `Request body is larger than ${limit} bytes`),
  };
}

/** 400: the body is not JSON. */
export function bodyNotJson(): { status: number; body: JsonRpcErrorResponse } {
  return {
    status: 400,
    body: jsonRpcError(undefined, ErrorCode.ParseError, 'Parse error: the body is not valid JSON'),
  };
}
