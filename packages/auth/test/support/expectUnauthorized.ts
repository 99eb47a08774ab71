/** Assertions on the `Unauthorized` errors the authenticator throws. */
import { GatewayError, toJsonRpcError } from '@only1mcp/mcp-types';
import type { UnauthorizedReason } from '../../src';

/** Awaits `promise`, expects it to reject with `Unauthorized` and `reason`, and returns the error. */
export async function expectUnauthorized(promise: Promise<unknown>, reason: UnauthorizedReason): Promise<GatewayError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  const error = err as GatewayError;
  expect(error.codeName).toBe('Unauthorized');
  expect(error.httpStatus).toBe(401);
  expect(error.context).toEqual({ reason });
  // What reaches the client is the short message and the reason, nothing from jose or fetch.
  expect(toJsonRpcError(error)).toEqual({ code: -32031, message: error.message, data: { reason } });
  expect(error.message).not.toMatch(/ERR_|JWS|JWK|fetch|claim/i);
  return error;
}
