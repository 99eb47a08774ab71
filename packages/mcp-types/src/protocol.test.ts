import { SUPPORTED_PROTOCOL_VERSIONS as SDK_SESSION_VERSIONS } from '@modelcontextprotocol/server';
import {
  CURRENT_PROTOCOL_VERSION,
  MEDIA_TYPES,
  SESSION_PROTOCOL_VERSIONS,
  mediaTypeOf,
  protocolGeneration,
} from './protocol';
import {
  JSONRPCMessageSchema,
  isJsonRpcNotification,
  isJsonRpcRequest,
  isJsonRpcResponse,
  jsonRpcError,
} from './jsonrpc';
import { ErrorCode } from './errorCodes';
import { ToolSchema } from './entities';

describe('protocol versions', () => {
  it('match the session-era versions the SDK negotiates', () => {
    expect([...SESSION_PROTOCOL_VERSIONS]).toEqual(SDK_SESSION_VERSIONS);
  });

  it('tell the generations apart', () => {
    expect(protocolGeneration(CURRENT_PROTOCOL_VERSION)).toBe('stateless');
    expect(protocolGeneration('2025-11-25')).toBe('session');
    expect(protocolGeneration('1999-01-01')).toBeUndefined();
  });
});

describe('mediaTypeOf', () => {
  it('reads the media type without its parameters, lower-cased', () => {
    expect(mediaTypeOf('Text/Event-Stream; charset=utf-8')).toBe(MEDIA_TYPES.eventStream);
    expect(mediaTypeOf(' application/json ')).toBe(MEDIA_TYPES.json);
    expect(mediaTypeOf('application/json;charset=UTF-8')).toBe(MEDIA_TYPES.json);
    expect(mediaTypeOf('text/event-streamx')).toBe('text/event-streamx');
  });

  it('is undefined for no Content-Type', () => {
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(mediaTypeOf(null)).toBeUndefined();
    expect(mediaTypeOf('')).toBeUndefined();
    expect(mediaTypeOf(' ; charset=utf-8')).toBeUndefined();
  });
});

describe('JSON-RPC helpers', () => {
  it('classify messages', () => {
    const req = JSONRPCMessageSchema.parse({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const note = JSONRPCMessageSchema.parse({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const res = JSONRPCMessageSchema.parse({ jsonrpc: '2.0', id: 1, result: {} });
    expect([isJsonRpcRequest(req), isJsonRpcNotification(req), isJsonRpcResponse(req)]).toEqual([true, false, false]);
    expect([isJsonRpcRequest(note), isJsonRpcNotification(note), isJsonRpcResponse(note)]).toEqual([
      false,
      true,
      false,
    ]);
    expect([isJsonRpcRequest(res), isJsonRpcNotification(res), isJsonRpcResponse(res)]).toEqual([false, false, true]);
  });

  it('reject what is not JSON-RPC', () => {
    expect(JSONRPCMessageSchema.safeParse({ id: 1, method: 'x' }).success).toBe(false);
    expect(JSONRPCMessageSchema.safeParse({ jsonrpc: '1.0', id: 1, method: 'x' }).success).toBe(false);
  });

  it('build error responses with and without an id', () => {
    expect(jsonRpcError(7, ErrorCode.MethodNotFound, 'Method not found: x')).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32601, message: 'Method not found: x' },
    });
    expect(jsonRpcError(undefined, ErrorCode.ParseError, 'Parse error')).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
    });
  });

  it('validate tools with the SDK schema', () => {
    expect(ToolSchema.safeParse({ name: 'echo', inputSchema: { type: 'object' } }).success).toBe(true);
    expect(ToolSchema.safeParse({ name: 'echo' }).success).toBe(false);
  });
});
