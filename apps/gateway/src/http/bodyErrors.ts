/** The answers to an unreadable or unacceptable request, written once for the Express app and the `/mcp` hot path. */
import { ErrorCode, jsonRpcError, type JsonRpcErrorResponse } from '@only1mcp/mcp-types';

/** 413: the body is over `server.max_body_size`. */
export function bodyTooLarge(limit: number): { status: number; body: JsonRpcErrorResponse } {
  return {
    status: 413,
    body: jsonRpcError(undefined, ErrorCode.InvalidRequest, `Request body is larger than ${limit} bytes`),
  };
}

/** 500: something failed that no request should make fail (it is logged where it is caught). */
export function unexpectedFailure(): { status: number; body: JsonRpcErrorResponse } {
  return { status: 500, body: jsonRpcError(undefined, ErrorCode.InternalError, 'Internal error') };
}

/** 400: the body is not JSON. */
export function bodyNotJson(): { status: number; body: JsonRpcErrorResponse } {
  return {
    status: 400,
    body: jsonRpcError(undefined, ErrorCode.ParseError, 'Parse error: the body is not valid JSON'),
  };
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * 415 when a POST says its body is something other than JSON, 406 when the client accepts
 * neither JSON nor SSE (the spec's answers). A header left out is not held against a client:
 * curl and old clients often send none.
 */
export function unacceptableMedia(headers: {
  'content-type'?: string;
  accept?: string;
}): { status: number; body: JsonRpcErrorResponse } | undefined {
  const type = headers['content-type'];
  if (type !== undefined && type.trim() !== '' && !JSON_TYPE.test(type.trim()))
    return {
      status: 415,
      body: jsonRpcError(
        undefined,
        ErrorCode.InvalidRequest,
        `Unsupported Content-Type ${JSON.stringify(type)}: send application/json`,
      ),
    };
  const accept = headers.accept;
  if (
    accept !== undefined &&
    accept.trim() !== '' &&
    !/application\/json|text\/event-stream|\*\/\*|application\/\*/i.test(accept)
  )
    return {
      status: 406,
      body: jsonRpcError(
        undefined,
        ErrorCode.InvalidRequest,
        'Not Acceptable: the client must accept application/json and text/event-stream',
      ),
    };
  return undefined;
}

/** How deeply a request body may nest (objects and arrays); real MCP messages stay far below it. */
export const MAX_JSON_DEPTH = 100;

/** True when `value` nests deeper than `max` (checked without recursion, so it cannot overflow the stack). */
export function nestsTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** 400: the body nests deeper than {@link MAX_JSON_DEPTH}. */
export function bodyTooDeep(): { status: number; body: JsonRpcErrorResponse } {
  return {
    status: 400,
    body: jsonRpcError(
      undefined,
      ErrorCode.InvalidRequest,
      `Invalid Request: the body nests deeper than ${MAX_JSON_DEPTH} levels`,
    ),
  };
}

/** 400: a GET carries a body (nothing would read it, and the stream could not notice its client leave). */
export function getWithBody(): { status: number; body: JsonRpcErrorResponse } {
  return { status: 400, body: jsonRpcError(undefined, ErrorCode.InvalidRequest, 'Invalid Request: a GET has no body') };
}
