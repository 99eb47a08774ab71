/**
 * The gateway's one internal error type. Code throughout the gateway throws it; a single
 * function at the edge ({@link toJsonRpcError}) turns it, or anything else, into a JSON-RPC error.
 */
import { ERROR_CODES, ErrorCode, type ErrorCodeName } from './errorCodes';
import type { JsonRpcError } from './jsonrpc';

/** Options for {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** The underlying failure, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Facts that help whoever reads the log (server id, tool name...). Sent to clients as `data` only when `expose` is set. */
  context?: Record<string, unknown>;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** Sends `context` to the client as the error's `data` (only for facts that are safe to show). */
  expose?: boolean;
}

/** An error the gateway raises on purpose, with a code from {@link ErrorCode}. */
export class GatewayError extends Error {
  /** Name of the error code. */
  readonly codeName: ErrorCodeName;
  /** Numeric JSON-RPC code. */
  readonly code: ErrorCode;
  /** True when the same request may succeed later. */
  readonly retryable: boolean;
  /** Facts for logs (and for clients when {@link GatewayErrorOptions.expose} is set). */
  readonly context: Record<string, unknown>;
  /** Whether `context` goes to the client as `data`. */
  readonly expose: boolean;

  constructor(codeName: ErrorCodeName, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.codeName = codeName;
    this.code = ErrorCode[codeName];
    this.retryable = options.retryable ?? ERROR_CODES[codeName].retryable;
    this.context = options.context ?? {};
    this.expose = options.expose ?? false;
  }

  /** HTTP status to use when this error rejects a whole HTTP request. */
  get httpStatus(): number {
    return ERROR_CODES[this.codeName].httpStatus;
  }
}

/** Anything thrown that carries a JSON-RPC error shape, e.g. an SDK ProtocolError relayed from a backend. */
interface CodedError {
  code: number;
  message: string;
  data?: unknown;
}

function isCodedError(err: unknown): err is CodedError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as CodedError).code === 'number' &&
    Number.isInteger((err as CodedError).code) &&
    typeof (err as CodedError).message === 'string'
  );
}

/**
 * Maps anything thrown to the JSON-RPC `error` object a client sees. A GatewayError keeps its
 * code; an error with a JSON-RPC code (a backend's answer) passes through; anything else becomes
 * InternalError with a generic message, so no stack trace or internal detail reaches the client.
 */
export function toJsonRpcError(err: unknown): JsonRpcError {
  if (err instanceof GatewayError) {
    return err.expose && Object.keys(err.context).length > 0
      ? { code: err.code, message: err.message, data: err.context }
      : { code: err.code, message: err.message };
  }
  if (isCodedError(err)) {
    return err.data === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, data: err.data };
  }
  return { code: ErrorCode.InternalError, message: 'Internal error' };
}
