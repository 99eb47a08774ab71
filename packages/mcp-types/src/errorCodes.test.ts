import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { ERROR_CODES, ErrorCode, errorCodeName } from './errorCodes';

describe('error codes', () => {
  it('agree with the SDK on every code the SDK defines', () => {
    expect(ErrorCode.ParseError).toBe(ProtocolErrorCode.ParseError);
    expect(ErrorCode.InvalidRequest).toBe(ProtocolErrorCode.InvalidRequest);
    expect(ErrorCode.MethodNotFound).toBe(ProtocolErrorCode.MethodNotFound);
    expect(ErrorCode.InvalidParams).toBe(ProtocolErrorCode.InvalidParams);
    expect(ErrorCode.InternalError).toBe(ProtocolErrorCode.InternalError);
    expect(ErrorCode.ResourceNotFound).toBe(ProtocolErrorCode.ResourceNotFound);
    expect(ErrorCode.MissingRequiredClientCapability).toBe(ProtocolErrorCode.MissingRequiredClientCapability);
    expect(ErrorCode.UnsupportedProtocolVersion).toBe(ProtocolErrorCode.UnsupportedProtocolVersion);
  });

  it('are unique and documented', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, info] of Object.entries(ERROR_CODES)) {
      expect(info.code).toBe(ErrorCode[name as keyof typeof ErrorCode]);
      expect(info.meaning.length).toBeGreaterThan(10);
      expect(errorCodeName(info.code)).toBe(name);
    }
  });

  it('keeps the gateway codes in the server-error range and off the codes SDK v1 and MCP use', () => {
    const own = [
      'BackendUnavailable',
      'BackendTimeout',
      'CircuitOpen',
      'BackendError',
      'RateLimited',
      'Unauthorized',
      'Forbidden',
      'SessionNotFound',
      'ShuttingDown',
      'RequestCancelled',
    ] as const;
    const reserved = new Set([-32000, -32001, -32002, -32020, -32021, -32022, -32042]);
    for (const name of own) {
      const code = ErrorCode[name];
      expect(code).toBeGreaterThanOrEqual(-32099);
      expect(code).toBeLessThanOrEqual(-32000);
      expect(reserved.has(code)).toBe(false);
    }
  });

  it('never blames the client for a backend failure', () => {
    for (const info of Object.values(ERROR_CODES)) {
      if (info.fault !== 'client') expect(info.httpStatus === 200 || info.httpStatus >= 500).toBe(true);
      else expect(info.httpStatus < 500).toBe(true);
    }
  });

  it('returns undefined for a code the gateway does not define', () => {
    expect(errorCodeName(-31999)).toBeUndefined();
  });
});
