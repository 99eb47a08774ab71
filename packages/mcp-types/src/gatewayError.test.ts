import { ErrorCode } from './errorCodes';
import { GatewayError, toJsonRpcError } from './gatewayError';

describe('GatewayError and toJsonRpcError', () => {
  it('keeps code, retryability, cause and context', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new GatewayError('BackendUnavailable', 'backend files is unavailable', {
      cause,
      context: { serverId: 'files' },
    });
    expect(err.code).toBe(ErrorCode.BackendUnavailable);
    expect(err.retryable).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.httpStatus).toBe(200);
    expect(new GatewayError('RateLimited', 'slow down').httpStatus).toBe(429);
    expect(new GatewayError('BackendTimeout', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('sends context only when it is marked safe to expose', () => {
    const hidden = new GatewayError('Forbidden', 'not allowed', { context: { role: 'reader' } });
    expect(toJsonRpcError(hidden)).toEqual({ code: ErrorCode.Forbidden, message: 'not allowed' });
    const shown = new GatewayError('InvalidParams', 'Unknown tool: nope', { context: { name: 'nope' }, expose: true });
    expect(toJsonRpcError(shown)).toEqual({
      code: ErrorCode.InvalidParams,
      message: 'Unknown tool: nope',
      data: { name: 'nope' },
    });
  });

  it("passes a backend's JSON-RPC error through unchanged", () => {
    expect(toJsonRpcError({ code: -32602, message: 'bad arg', data: { field: 'a' } })).toEqual({
      code: -32602,
      message: 'bad arg',
      data: { field: 'a' },
    });
    expect(toJsonRpcError({ code: 42, message: 'custom' })).toEqual({ code: 42, message: 'custom' });
  });

  it('hides anything unexpected behind InternalError', () => {
    expect(toJsonRpcError(new TypeError('x is undefined'))).toEqual({
      code: ErrorCode.InternalError,
      message: 'Internal error',
    });
    expect(toJsonRpcError(Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }))).toEqual({
      code: ErrorCode.InternalError,
      message: 'Internal error',
    });
    expect(toJsonRpcError('a string')).toEqual({ code: ErrorCode.InternalError, message: 'Internal error' });
  });
});
