/**
 * The hot path of `/mcp`: a claim-less request without a session (an older client's stateless
 * request, curl, a load balancer's probe) for a method the gateway routes or answers is served
 * straight from the method table and answered as plain JSON. Going through an SDK transport costs
 * about 200 µs of CPU per request (web Request/Response conversion, validation), more than the
 * rest of the gateway together (measured: docs/BENCHMARKS.md). Anything else — batches,
 * notifications, other methods, malformed messages — is left to the SDK, which answers it the
 * same way it always did.
 */
import type { ServerResponse } from 'node:http';
import { JSONRPC_VERSION, toJsonRpcError, type RequestId } from '@only1mcp/mcp-types';
import type { Principal } from '@only1mcp/auth';
import type { MethodHandler } from './createMcpServer';
import { forwardParams } from './forwardParams';

interface DirectRequest {
  id: RequestId;
  handler: MethodHandler;
  params: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request, when `body` is one well-formed JSON-RPC request for a method in `table`. */
function directRequest(body: unknown, table: ReadonlyMap<string, MethodHandler>): DirectRequest | undefined {
  if (!isObject(body) || body.jsonrpc !== JSONRPC_VERSION || typeof body.method !== 'string') return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return undefined;
  if (params !== undefined && !isObject(params)) return undefined;
  const handler = table.get(body.method);
  // No progress on a plain JSON reply: the token is dropped with the rest of the client hop's _meta.
  return handler ? { id, handler, params: forwardParams(params).params } : undefined;
}

/** Answers `body` directly when it qualifies; returns false (having written nothing) otherwise. */
export function answerDirectly(
  body: unknown,
  res: ServerResponse,
  table: ReadonlyMap<string, MethodHandler>,
  principal?: Principal,
): boolean {
  const request = directRequest(body, table);
  if (!request) return false;
  // A client that hangs up cancels the call, as it would on the SDK path.
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const send = (reply: Record<string, unknown>) => {
    if (res.destroyed) return;
    const text = JSON.stringify({ jsonrpc: JSONRPC_VERSION, id: request.id, ...reply });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  request.handler(request.params, { signal: controller.signal, principal }).then(
    (result) => send({ result }),
    (err: unknown) => send({ error: toJsonRpcError(err) }),
  );
  return true;
}
