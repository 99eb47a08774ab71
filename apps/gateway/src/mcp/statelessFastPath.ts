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
import type { Socket } from 'node:net';
import { JSONRPC_VERSION, LIST_METHODS, toJsonRpcError, type RequestId } from '@only1mcp/mcp-types';
import type { Principal } from '@only1mcp/auth';
import type { ProgressToken } from '@modelcontextprotocol/server';
import type { CallContext, MethodHandler } from './createMcpServer';
import { forwardParams } from './forwardParams';
import { paramsProblem } from './invalidParams';
import { sharedPageJson } from './listPages';

/** One well-formed JSON-RPC request for a method of the table, ready to be served here. */
export interface DirectRequest {
  id: RequestId;
  method: string;
  handler: MethodHandler;
  /** What goes on to the backend (forwardParams.ts). */
  params: Record<string, unknown>;
  /** The client asked for progress: only a reply on a stream can carry it. */
  progressToken?: ProgressToken;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Who asks, as the method table's handlers see it. */
export interface DirectCaller {
  principal?: Principal;
  /** The session the request came in (sessions answer only {@link SESSION_DIRECT_METHODS} here). */
  sessionKey?: string;
  /** The context profile the client asked for (`?profile=`). */
  profile?: string;
}

/**
 * A session's lists are answered here rather than by its SDK server: they need nothing of the
 * session (no progress, no requests back to the client, no log level) and their replies are
 * shared and serialised once (listPages.ts); a 1,000-tool list went from ~9 ms of serialising per
 * request to none. (Which calls a session may have answered here: sessionCalls.ts.)
 */
export const SESSION_DIRECT_METHODS: ReadonlySet<string> = new Set(Object.keys(LIST_METHODS));

/** The hang-up signal of each client connection (see {@link hangUpSignal}). */
const hangUps = new WeakMap<Socket, AbortSignal>();

/**
 * A signal aborted when the client's connection closes: a client that hangs up cancels its call,
 * as it would on the SDK path. One per connection, not per request: an AbortController costs some
 * 6 µs to make on Node 20, a keep-alive connection carries thousands of requests, and a request's
 * only way to hang up is to close its connection. Each call's listener leaves the signal when the
 * call settles (the SDK client removes its own), so a long-lived connection gathers none.
 */
export function hangUpSignal(socket: Socket | null): AbortSignal {
  if (!socket || socket.destroyed) return AbortSignal.abort();
  let signal = hangUps.get(socket);
  if (!signal) {
    const controller = new AbortController();
    signal = controller.signal;
    hangUps.set(socket, signal);
    socket.once('close', () => controller.abort());
  }
  return signal;
}

/** The request, when `body` is one well-formed JSON-RPC request for a method in `table`. */
export function directRequest(body: unknown, table: ReadonlyMap<string, MethodHandler>): DirectRequest | undefined {
  if (!isObject(body) || body.jsonrpc !== JSONRPC_VERSION || typeof body.method !== 'string') return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return undefined;
  if (params !== undefined && !isObject(params)) return undefined;
  const handler = table.get(body.method);
  if (!handler) return undefined;
  // Checked as the SDK Server would: malformed params are the client's fault, not the backend's.
  const problem = paramsProblem(body.method, params);
  if (problem) return { id, method: body.method, handler: () => Promise.reject(problem), params: {} };
  const forwarded = forwardParams(params);
  return { id, method: body.method, handler, params: forwarded.params, progressToken: forwarded.progressToken };
}

/**
 * Serves `request` with `ctx` and writes its reply as one `application/json` response (a shared
 * list page's bytes as they are). Nothing is written once `res` is gone, and when `discard` says
 * the reply is no longer wanted (a cancelled call) the response ends with 202 and no body.
 * `settled` runs once the call has settled, whatever its outcome; `headers` go with the reply.
 */
export function replyDirectly(
  request: DirectRequest,
  res: ServerResponse,
  ctx: CallContext,
  {
    discard,
    settled,
    headers,
  }: { discard?: () => boolean; settled?: () => void; headers?: Record<string, string> } = {},
): void {
  const send = (...parts: (string | Buffer)[]) => {
    settled?.();
    if (res.destroyed) return;
    if (discard?.()) {
      res.writeHead(202, headers).end();
      return;
    }
    const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': length });
    const last = parts.pop()!;
    for (const part of parts) res.write(part);
    res.end(last);
  };
  // `{"jsonrpc":"2.0","id":…,"result":…}`, as JSON.stringify would write it.
  const head = `{"jsonrpc":"${JSONRPC_VERSION}","id":${JSON.stringify(request.id)},`;
  request.handler(request.params, ctx).then(
    (result) => {
      const page = sharedPageJson(result);
      if (page) send(`${head}"result":`, page, '}');
      else send(`${head}"result":${JSON.stringify(result)}}`);
    },
    (err: unknown) => send(`${head}"error":${JSON.stringify(toJsonRpcError(err))}}`),
  );
}

/**
 * Answers a claim-less request without a session (or a session's list, with `sessionKey`)
 * directly when it qualifies; returns false (having written nothing) otherwise. No progress on a
 * plain JSON reply: the token is dropped with the rest of the client hop's `_meta`.
 */
export function answerDirectly(
  body: unknown,
  res: ServerResponse,
  table: ReadonlyMap<string, MethodHandler>,
  caller: DirectCaller = {},
): boolean {
  const request = directRequest(body, table);
  if (!request || (caller.sessionKey !== undefined && !SESSION_DIRECT_METHODS.has(request.method))) return false;
  const { principal, sessionKey, profile } = caller;
  replyDirectly(request, res, { signal: hangUpSignal(res.socket), principal, sessionKey, profile });
  return true;
}
