/**
 * Every JSON-RPC error code the gateway sends, with its name, meaning and HTTP status.
 * docs/API_REFERENCE.md's error table is checked against this table by a test.
 */

/** JSON-RPC error codes: the standard ones, those MCP defines, and the gateway's own (-32000..-32099). */
export const ErrorCode = {
  // JSON-RPC 2.0
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  // Defined by MCP; the gateway sends these and passes them through from backends.
  ResourceNotFound: -32002,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
  // The gateway's own. -32000 and -32001 are left alone: SDK v1 uses them (connection closed,
  // request timeout) and backends send them, so they would be ambiguous.
  BackendUnavailable: -32010,
  BackendTimeout: -32011,
  CircuitOpen: -32012,
  BackendError: -32013,
  RateLimited: -32029,
  Unauthorized: -32031,
  AuthUnavailable: -32032,
  Forbidden: -32033,
  SessionNotFound: -32040,
  ShuttingDown: -32050,
  RequestCancelled: -32060,
} as const;

/** The name of an error code, e.g. `BackendTimeout`. */
export type ErrorCodeName = keyof typeof ErrorCode;
/** A numeric error code from {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[ErrorCodeName];

/** Who is at fault when an error happens: the client never gets blamed for a backend's failure. */
export type ErrorFault = 'client' | 'backend' | 'gateway';

/** What the gateway documents about one error code. */
export interface ErrorCodeInfo {
  /** The numeric code on the wire. */
  code: ErrorCode;
  /** Whose fault the error is. */
  fault: ErrorFault;
  /**
   * HTTP status when the error rejects the HTTP request as a whole. An error that answers one
   * request inside a well-formed exchange travels as a JSON-RPC error with HTTP 200, because
   * SDK clients only read JSON-RPC bodies from successful HTTP replies.
   */
  httpStatus: number;
  /** True when the same request may succeed if sent again later. */
  retryable: boolean;
  /** What the error means, in one sentence (copied into docs/API_REFERENCE.md). */
  meaning: string;
}

/** The documented facts about every error code. */
export const ERROR_CODES: Record<ErrorCodeName, ErrorCodeInfo> = {
  ParseError: {
    code: ErrorCode.ParseError,
    fault: 'client',
    httpStatus: 400,
    retryable: false,
    meaning: 'The body is not valid JSON.',
  },
  InvalidRequest: {
    code: ErrorCode.InvalidRequest,
    fault: 'client',
    httpStatus: 400,
    retryable: false,
    meaning: 'The JSON is not a valid JSON-RPC 2.0 message.',
  },
  MethodNotFound: {
    code: ErrorCode.MethodNotFound,
    fault: 'client',
    httpStatus: 200,
    retryable: false,
    meaning: 'Neither the gateway nor any backend offers this method.',
  },
  InvalidParams: {
    code: ErrorCode.InvalidParams,
    fault: 'client',
    httpStatus: 200,
    retryable: false,
    meaning: 'The params are invalid, or name a tool, prompt or resource that does not exist.',
  },
  InternalError: {
    code: ErrorCode.InternalError,
    fault: 'gateway',
    httpStatus: 500,
    retryable: true,
    meaning: 'The gateway failed in a way it did not expect; the log has the details.',
  },
  ResourceNotFound: {
    code: ErrorCode.ResourceNotFound,
    fault: 'client',
    httpStatus: 200,
    retryable: false,
    meaning: 'A backend reported that the resource does not exist (passed through from older servers).',
  },
  HeaderMismatch: {
    code: ErrorCode.HeaderMismatch,
    fault: 'client',
    httpStatus: 400,
    retryable: false,
    meaning: 'The Mcp-Method, Mcp-Name or Mcp-Param-* headers disagree with the body (2026-07-28 requests).',
  },
  MissingRequiredClientCapability: {
    code: ErrorCode.MissingRequiredClientCapability,
    fault: 'client',
    httpStatus: 200,
    retryable: false,
    meaning: 'The request needs a client capability the client did not declare.',
  },
  UnsupportedProtocolVersion: {
    code: ErrorCode.UnsupportedProtocolVersion,
    fault: 'client',
    httpStatus: 400,
    retryable: false,
    meaning: 'The request names a protocol version the gateway does not speak; data lists the supported ones.',
  },
  BackendUnavailable: {
    code: ErrorCode.BackendUnavailable,
    fault: 'backend',
    httpStatus: 200,
    retryable: true,
    meaning: 'No healthy replica of the owning backend could take the request.',
  },
  BackendTimeout: {
    code: ErrorCode.BackendTimeout,
    fault: 'backend',
    httpStatus: 200,
    retryable: true,
    meaning: 'The backend did not answer within its request timeout.',
  },
  CircuitOpen: {
    code: ErrorCode.CircuitOpen,
    fault: 'backend',
    httpStatus: 200,
    retryable: true,
    meaning: 'Every replica of the backend has an open circuit breaker after repeated failures.',
  },
  BackendError: {
    code: ErrorCode.BackendError,
    fault: 'backend',
    httpStatus: 200,
    retryable: true,
    meaning: 'The backend broke the protocol or closed the connection mid-request.',
  },
  RateLimited: {
    code: ErrorCode.RateLimited,
    fault: 'client',
    httpStatus: 429,
    retryable: true,
    meaning: 'The client exceeded its rate limit; Retry-After says when to try again.',
  },
  Unauthorized: {
    code: ErrorCode.Unauthorized,
    fault: 'client',
    httpStatus: 401,
    retryable: false,
    meaning: 'No valid credentials were presented.',
  },
  AuthUnavailable: {
    code: ErrorCode.AuthUnavailable,
    fault: 'gateway',
    httpStatus: 503,
    retryable: true,
    meaning:
      "The credentials could not be checked: the identity provider's signing keys (JWKS) could not be fetched. Not the client's fault.",
  },
  Forbidden: {
    code: ErrorCode.Forbidden,
    fault: 'client',
    httpStatus: 403,
    retryable: false,
    meaning: 'The credentials are valid but do not grant this server, tool or action.',
  },
  SessionNotFound: {
    code: ErrorCode.SessionNotFound,
    fault: 'client',
    httpStatus: 404,
    retryable: false,
    meaning: 'The Mcp-Session-Id is unknown or the session has ended; initialize again.',
  },
  RequestCancelled: {
    code: ErrorCode.RequestCancelled,
    fault: 'client',
    httpStatus: 200,
    retryable: false,
    meaning:
      'The client cancelled the request; the backend was told (notifications/cancelled). Clients normally never see it.',
  },
  ShuttingDown: {
    code: ErrorCode.ShuttingDown,
    fault: 'gateway',
    httpStatus: 503,
    retryable: true,
    meaning: 'The gateway is draining for shutdown or reload and takes no new requests.',
  },
};

const byCode = new Map<number, ErrorCodeName>(
  (Object.keys(ERROR_CODES) as ErrorCodeName[]).map((name) => [ERROR_CODES[name].code, name]),
);

/** The name of a numeric code, or undefined for a code the gateway does not define (e.g. a backend's own). */
export function errorCodeName(code: number): ErrorCodeName | undefined {
  return byCode.get(code);
}
