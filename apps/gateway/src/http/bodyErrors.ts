/** The answers to an unreadable or unacceptable request, written once for the Express app and the `/mcp` hot path. */
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
