/**
 * A 2025-11-25 session's plain calls answered by the gateway as `application/json`, not by the
 * session's SDK server on an event stream. The SDK path costs a session call about 800 µs of
 * gateway CPU (web Request/Response conversion, the transport's validation and SSE framing), five
 * times a stateless call's (docs/BENCHMARKS.md); most calls of most clients need none of what the
 * stream is for. A call is answered here only when nothing could need the stream:
 *
 * - the client asked for no progress (no `progressToken`);
 * - its target is a backend on a shared connection (or nothing: the name or URI is unknown): a
 *   `per_session` backend may ask the client for sampling, elicitation or roots during the call,
 *   on the call's stream, and a lazy profile's meta-tool may reach any backend;
 * - the client declared none of sampling, elicitation and roots, so no backend can ask it for
 *   input (a 2026-07-28 backend is told the client's capabilities and may answer
 *   `input_required`, which the SDK turns into real requests on the stream).
 *
 * Everything else, and every other method, goes to the session's SDK server as before. A client
 * that cancels a call answered here (`notifications/cancelled`) gets it cancelled at the backend
 * as on the SDK path, and its HTTP request ends with 202 and no body: the reply nobody waits for
 * any more is not sent, as the protocol asks.
 */
import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ClientCapabilities } from '@modelcontextprotocol/server';
import { MCP_HEADERS, type RequestId } from '@only1mcp/mcp-types';
import type { Registry } from '@only1mcp/registry';
import type { MethodHandler } from './createMcpServer';
import { targetOf } from './accessControl';
import {
  SESSION_DIRECT_METHODS,
  directRequest,
  hangUpSignal,
  replyDirectly,
  type DirectCaller,
  type DirectRequest,
} from './statelessFastPath';

/** The calls a session may have answered here (with the lists of {@link SESSION_DIRECT_METHODS}). */
export const SESSION_CALL_METHODS: ReadonlySet<string> = new Set([
  'tools/call',
  'resources/read',
  'prompts/get',
  'completion/complete',
]);

/** What a session brings to a direct answer. */
export interface DirectSession {
  /** The session's key (its id): sticky routing, logs. */
  id: string;
  /** The client declared sampling, elicitation or roots: a backend may ask it for input mid-call. */
  answersInput: boolean;
  /** Calls answered here and still running, by the client's request id: what `notifications/cancelled` may name. */
  calls: Map<RequestId, AbortController>;
}

/** True when a client that declared `capabilities` can be asked for input during a call. */
export function answersInput(capabilities: ClientCapabilities | undefined): boolean {
  return Boolean(capabilities?.sampling || capabilities?.elicitation || capabilities?.roots);
}

/** The request, when `body` is one a session may have answered here (see the module's comment). */
export function directSessionCall(
  body: unknown,
  table: ReadonlyMap<string, MethodHandler>,
  registry: Registry,
  session: DirectSession,
): DirectRequest | undefined {
  const request = directRequest(body, table);
  if (!request || SESSION_DIRECT_METHODS.has(request.method)) return request;
  if (!SESSION_CALL_METHODS.has(request.method) || request.progressToken !== undefined || session.answersInput)
    return undefined;
  // No target: a lazy profile's meta-tool, which may reach any backend. A target without a server:
  // nothing owns the name or URI, and the answer is the error the SDK path would give too.
  const target = targetOf(registry, request.method, request.params);
  if (!target) return undefined;
  if (target.server === undefined) return request;
  return registry.serverSettings(target.server)?.connection.mode === 'shared' ? request : undefined;
}

/**
 * Cancels a call answered here when `body` is the client's `notifications/cancelled` for it; true
 * when it was (the caller answers the notification), false for anything else.
 */
export function cancelSessionCall(body: unknown, session: DirectSession): boolean {
  const message = body as { method?: unknown; id?: unknown; params?: { requestId?: unknown } } | null;
  if (message?.method !== 'notifications/cancelled' || message.id !== undefined) return false;
  const requestId = message.params?.requestId;
  const call =
    typeof requestId === 'string' || typeof requestId === 'number' ? session.calls.get(requestId) : undefined;
  if (!call) return false;
  call.abort('the client cancelled the request');
  return true;
}

/**
 * Controllers of calls that settled without being aborted, kept for the next calls. On Node 20 an
 * AbortSignal costs some 5 µs to make and, however soon it is dropped, survives V8's
 * young-generation collections (it is promoted, and is garbage only for a full collection):
 * reusing them took ~6 % off a session call's gateway CPU (median of ten interleaved pairs,
 * docs/BENCHMARKS.md, seventh pass).
 */
const spareControllers: AbortController[] = [];
/** How many unused controllers are kept, at most (calls in flight at once need one each). */
const SPARE_CONTROLLERS_MAX = 256;

/** Keeps `controller` for another call: only one never aborted whose signal nobody listens to any more. */
function spare(controller: AbortController): void {
  const { signal } = controller;
  if (signal.aborted || spareControllers.length >= SPARE_CONTROLLERS_MAX) return;
  // Every listener a call adds leaves when the call settles (the SDK client removes its own in
  // the request's `finally`); one that stayed would hear the next call's abort.
  if (getEventListeners(signal, 'abort').length === 0) spareControllers.push(controller);
}

/** A call answered here, as {@link trackSessionCall} tracks it. */
export interface SessionCall {
  /** Aborts on the client's cancellation, on {@link cancelAllSessionCalls}, or on `abort()`; not to be read once `done`. */
  readonly signal: AbortSignal;
  /** The call was cancelled: its reply is not wanted. */
  readonly aborted: boolean;
  /** Cancels the call; does nothing once it is `done`. */
  abort(): void;
  /** The call has settled: it leaves the session's calls, and its signal may serve another call. */
  done(): void;
}

/**
 * Counts `request` among the session's calls answered here, so `notifications/cancelled` can name
 * it, until the call is done.
 */
export function trackSessionCall(session: DirectSession, request: DirectRequest): SessionCall {
  const controller = spareControllers.pop() ?? new AbortController();
  let settled = false;
  let abortedWhenDone = false;
  session.calls.set(request.id, controller);
  return {
    signal: controller.signal,
    get aborted() {
      return settled ? abortedWhenDone : controller.signal.aborted;
    },
    abort: () => {
      if (!settled) controller.abort();
    },
    done: () => {
      if (settled) return;
      settled = true;
      abortedWhenDone = controller.signal.aborted;
      if (session.calls.get(request.id) === controller) session.calls.delete(request.id);
      spare(controller);
    },
  };
}

/** Cancels every call of the session answered here (its stream or connection is gone). */
export function cancelAllSessionCalls(session: DirectSession): void {
  for (const call of session.calls.values()) call.abort('the client went away');
  session.calls.clear();
}

/**
 * Answers a session's POST here when it can be (a list; a plain call, see the module's comment;
 * the cancellation of a call answered here), as `application/json`; false, nothing written,
 * otherwise. `enter` runs first when it is answered here: the session's bookkeeping of a request,
 * told whether the client used the session for more than its lists.
 */
export function answerInSession(
  body: unknown,
  res: ServerResponse,
  deps: { table: ReadonlyMap<string, MethodHandler>; registry: Registry },
  session: DirectSession,
  caller: DirectCaller,
  enter: (used: boolean) => void,
): boolean {
  // Every reply names its session, as the SDK transport's do.
  const headers = { [MCP_HEADERS.sessionId]: session.id };
  if (cancelSessionCall(body, session)) {
    enter(true);
    res.writeHead(202, headers).end();
    return true;
  }
  const request = directSessionCall(body, deps.table, deps.registry, session);
  if (!request) return false;
  const list = SESSION_DIRECT_METHODS.has(request.method);
  enter(!list);
  const { principal, profile } = caller;
  const ctx = { principal, profile, sessionKey: session.id };
  if (list) {
    replyDirectly(request, res, { ...ctx, signal: hangUpSignal(res.socket) }, { headers });
    return true;
  }
  // A call of its own: the client may cancel it alone, or hang up.
  const call = trackSessionCall(session, request);
  res.once('close', () => {
    if (!res.writableFinished) call.abort();
  });
  replyDirectly(
    request,
    res,
    { ...ctx, signal: call.signal },
    { discard: () => call.aborted, settled: call.done, headers },
  );
  return true;
}
