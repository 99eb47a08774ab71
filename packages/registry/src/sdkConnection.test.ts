import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import type { GatewayError } from '@only1mcp/mcp-types';
import { silentLogger } from '@only1mcp/logger';
import { freePort } from '@only1mcp/test-utils';
import { createBackendConnection } from './backendConnection';
import { anyResult, backendFailure, connectionLost } from './sdkConnection';

/** What fetch (and the registry's httpFetch) throws when nothing listens on the port. */
function refused(): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  });
}

describe('backendFailure', () => {
  const map = (err: unknown) => backendFailure(err, 'web#0', 'tools/call') as GatewayError;

  it('calls a refused connection unavailable and certainly not sent, so even tools/call may go elsewhere', () => {
    expect(map(refused())).toMatchObject({ codeName: 'BackendUnavailable', context: { notSent: true } });
    expect(connectionLost(refused())).toBe(true);
  });

  it('does not claim a request was unsent when the socket failed after connecting', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(map(reset)).toMatchObject({ codeName: 'BackendUnavailable', context: { notSent: false } });
  });

  it('treats HTTP 404 as a forgotten session: unsent, and the connection must be remade', () => {
    const gone = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint', {
      status: 404,
      statusText: 'Not Found',
    });
    expect(map(gone)).toMatchObject({ codeName: 'BackendUnavailable', context: { notSent: true } });
    expect(connectionLost(gone)).toBe(true);
    const other = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint', {
      status: 500,
      statusText: 'Oops',
    });
    expect(map(other)).toMatchObject({ codeName: 'BackendError' });
    expect(connectionLost(other)).toBe(false);
  });

  it('maps a connection closed mid-request to BackendError and a timeout to BackendTimeout', () => {
    expect(map(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'))).toMatchObject({
      codeName: 'BackendError',
      context: { notSent: false },
    });
    expect(map(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'))).toMatchObject({
      codeName: 'BackendTimeout',
    });
    expect(map(new SdkError(SdkErrorCode.NotConnected, 'Not connected'))).toMatchObject({
      codeName: 'BackendUnavailable',
      context: { notSent: true },
    });
  });

  it('passes any other error (a backend’s own JSON-RPC error) through unchanged', () => {
    const own = Object.assign(new Error('Unknown tool'), { code: -32602 });
    expect(backendFailure(own, 'web#0', 'tools/call')).toBe(own);
    expect(connectionLost(own)).toBe(false);
  });
});

describe('anyResult', () => {
  const validate = (value: unknown) => anyResult['~standard'].validate(value);

  it('passes a result on as the very object the backend sent, unknown fields included', () => {
    const result = { content: [{ type: 'text', text: 'hi' }], _meta: { x: 1 }, somethingNew: true };
    expect(validate(result)).toEqual({ value: result });
    expect((validate(result) as { value: unknown }).value).toBe(result);
  });

  it('refuses a result that is not a JSON object', () => {
    for (const value of [null, 'text', 3, [1, 2], undefined])
      expect(validate(value)).toMatchObject({ issues: [{ message: expect.any(String) }] });
  });
});

describe('connect', () => {
  it('names the socket error when an HTTP backend cannot be reached, not only "fetch failed"', async () => {
    const port = await freePort();
    const connection = createBackendConnection(
      'web#0',
      { transport: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} },
      silentLogger,
    );
    await expect(connection.connect(2_000)).rejects.toThrow(
      'Cannot connect to backend web#0: fetch failed (ECONNREFUSED)',
    );
  });
});
