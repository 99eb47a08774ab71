/**
 * Builds the SDK server that answers a client: one instance per HTTP request (current protocol and
 * stateless requests) or per 2025-11-25 session. Every handler delegates to the registry; list
 * results come from the aggregated catalogue, paginated with an opaque cursor.
 */
import { randomUUID } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
  ProtocolError,
  Server,
  inputRequired,
  isInputRequiredResult,
  type ClientCapabilities,
  type RequestStateCodec,
} from '@modelcontextprotocol/server';
import type { ParkedCalls, RoundChannel } from './parkedCalls';
import type { SharedSessions } from './sharedSessions';
import type { BridgeState } from './requestState';
import type { Config } from '@only1mcp/config';
import { ErrorCode, GatewayError, errorCodeName, toJsonRpcError } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { Drain } from '../drain';
import {
  GATEWAY_IMPLEMENTATION,
  LateAjvValidator,
  type CallingSession,
  type Logger,
  type Progress,
  type Registry,
} from '@only1mcp/registry';
import { createSessionLink, logLevelAllows } from './sessionLink';
import { answersInput } from './sessionCalls';
import { invalidParams, type SchemaIssue } from './invalidParams';
import { forwardParams } from './forwardParams';
import { checkAccess, targetOf, visibleItems, type AccessControl } from './accessControl';
import type { AuditLog } from '../audit';
import type { Principal } from '@only1mcp/auth';
import type { ResultCache } from './resultCache';
import { createToolMethods } from './toolMethods';
import { ListPages } from './listPages';
import { LAZY_TOOLS_GUIDE } from '@only1mcp/context';
import type { GatewayAuthInfo } from '../http/authGate';
import type { RateLimiter } from '@only1mcp/ratelimit';
import type { ResourceSubscriptions } from './resourceSubscriptions';

/** Encodes a list offset as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; throws InvalidParams for anything else. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new GatewayError('InvalidParams', 'Invalid cursor', { expose: true, context: { cursor } });
}

/** The reply to a list request: the page of `items` the cursor points at, shared by every client sent it (listPages.ts). */
function page(
  pages: ListPages,
  key: string,
  items: readonly unknown[],
  cursor: unknown,
  size: number,
): Record<string, unknown> {
  const start = decodeCursor(cursor);
  return pages.get(items, start, size, () => {
    const slice = items.slice(start, start + size);
    return start + size < items.length ? { [key]: slice, nextCursor: encodeCursor(start + size) } : { [key]: slice };
  });
}

/** Dependencies of {@link createMcpServer}. */
export interface McpServerDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  /** Where request counts and durations go; the stdio front has no /metrics and passes none. */
  metrics?: GatewayMetrics;
  /** Counts calls in flight so shutdown can wait for them. */
  drain?: Drain;
  /** Resource subscriptions of this process's sessions; without it, `resources/subscribe` is not offered. */
  subscriptions?: ResourceSubscriptions;
  /** Signs the requestState of multi-round calls; without it, a backend's `input_required` is passed on unsigned. */
  stateCodec?: RequestStateCodec<BridgeState>;
  /** Calls of clients without a session parked while a backend waits for their input. */
  parked?: ParkedCalls;
  /** Sessions shared through Redis, so another replica can take one over (with `redis` only). */
  sharedSessions?: SharedSessions;
  /** Who may see and use what (with `auth`); absent or disabled: everything. */
  access?: AccessControl;
  /** Per-client-per-server rate limits (`rate_limit.per_server`), read per call (a reload may replace it). */
  perServerLimit?: () => RateLimiter | undefined;
  /** The audit log (`audit.enabled`). */
  audit?: AuditLog;
  /** Cached `tools/call` and `resources/read` results (`cache.tools`, `cache.resources`). */
  resultCache?: ResultCache;
}

/** Context of one call: the session key (sticky routing), the client's cancellation, and where its progress goes. */
export interface CallContext {
  sessionKey?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** The calling client session, for backends that keep a connection per session. */
  session?: CallingSession;
  /** The calling client's capabilities (a 2026-07-28 backend decides on them whether to ask for input). */
  clientCapabilities?: ClientCapabilities;
  /** Replica affinity of a multi-round call (see BackendCallOptions.affinity). */
  affinity?: { replica?: number };
  /** The authenticated client (with `auth`). */
  principal?: Principal;
  /** The context profile the client asked for (`?profile=` on the MCP URL). */
  profile?: string;
  /** The session's SDK server, which hears of updates to the resources it subscribes to (sessions only). */
  subscriber?: Server;
}

/** One routed or local method: takes the request's params, resolves with its result or throws a ProtocolError. */
export type MethodHandler = (params: Record<string, unknown>, ctx: CallContext) => Promise<Record<string, unknown>>;

/** Methods only a session's server offers: they need a client that stays to hear of updates. */
const SESSION_METHODS: ReadonlySet<string> = new Set(['resources/subscribe', 'resources/unsubscribe']);

const tables = new WeakMap<McpServerDeps, { completions: boolean; methods: ReadonlyMap<string, MethodHandler> }>();

/**
 * The method table of `deps`, built once and shared by every SDK server and the stateless fast
 * path (a table per session would cost each idle session its own few dozen closures). It is
 * rebuilt when `completion/complete` comes or goes with the backends' capabilities.
 */
export function methodTableOf(deps: McpServerDeps): ReadonlyMap<string, MethodHandler> {
  const completions = deps.registry.capabilities().completions !== undefined;
  let table = tables.get(deps);
  if (table?.completions !== completions) {
    table = { completions, methods: createMethodTable(deps) };
    tables.set(deps, table);
  }
  return table.methods;
}

/**
 * The methods the gateway answers itself or routes, written once: the SDK Server (every front)
 * and the stateless fast path of `/mcp` both call these. `completion/complete` is present only
 * when a backend offers completions (see `Registry.capabilities`); `resources/subscribe` and
 * `unsubscribe` only with `subscriptions`, and they serve only a call whose context names the
 * session's server (`ctx.subscriber`). Use {@link methodTableOf} rather than a table per server.
 */
export function createMethodTable(deps: McpServerDeps): Map<string, MethodHandler> {
  const { registry, logger, metrics, drain, subscriptions, sharedSessions, access, perServerLimit, audit } = deps;

  // The one place a failure becomes the JSON-RPC error a client sees (no stack, no internals),
  // and where every request is counted, timed and tracked for shutdown.
  const guard =
    (
      method: string,
      work: (
        params: Record<string, unknown>,
        ctx: CallContext,
      ) => Record<string, unknown> | Promise<Record<string, unknown>>,
    ): MethodHandler =>
    async (params, ctx) => {
      const started = process.hrtime.bigint();
      let status = 'ok';
      let failure: string | undefined;
      // Where the request goes, found once: for the access check, the log line and the audit.
      const target = targetOf(registry, method, params);
      try {
        await checkAccess(target, ctx.principal, access, perServerLimit?.());
        return await (drain ? drain.track(() => work(params, ctx)) : work(params, ctx));
      } catch (err) {
        const error = toJsonRpcError(err);
        // A backend's own code outside our table is labelled 'Other' so the label set stays bounded.
        status = errorCodeName(error.code) ?? 'Other';
        failure = error.message;
        if (error.code === ErrorCode.InternalError)
          logger.error('request failed unexpectedly', { method, error: (err as Error)?.stack ?? String(err) });
        throw new ProtocolError(error.code, error.message, error.data);
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics?.observeRequest(method, status, seconds);
        // One structured line per request: who, what, where it went, how long, how it ended.
        const latencyMs = Math.round(seconds * 1e5) / 100;
        logger.info('request', {
          requestId: randomUUID(),
          session: ctx.sessionKey,
          client: ctx.principal?.clientId,
          method,
          server: target?.server,
          latencyMs,
          outcome: status,
          ...(failure === undefined ? {} : { error: failure }),
        });
        if (audit && AUDITED_METHODS.has(method))
          audit.record({
            action: method,
            clientId: ctx.principal?.clientId,
            session: ctx.sessionKey,
            server: target?.server,
            target: target?.name,
            outcome: status === 'Forbidden' ? 'denied' : status === 'RateLimited' ? 'rate_limited' : status,
            latencyMs,
            arguments: method === 'tools/call' || method === 'prompts/get' ? (params.arguments ?? {}) : undefined,
          });
      }
    };
  const tools = createToolMethods(deps);
  const pages = new ListPages();
  const list =
    (key: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') =>
    (params: Record<string, unknown>, ctx: CallContext) => {
      const visible =
        key === 'tools'
          ? tools.listTools(ctx, params.cursor === undefined)
          : visibleItems<unknown>(registry, key, registry.catalog[key], access, ctx.principal);
      // From the registry: the page size in force, which a reload may have changed.
      return page(pages, key, visible, params.cursor, registry.settings.routing.page_size);
    };
  const table = new Map<string, MethodHandler>([
    ['tools/list', guard('tools/list', list('tools'))],
    ['prompts/list', guard('prompts/list', list('prompts'))],
    ['resources/list', guard('resources/list', list('resources'))],
    ['resources/templates/list', guard('resources/templates/list', list('resourceTemplates'))],
    ['tools/call', guard('tools/call', (params, ctx) => tools.callTool(params, ctx))],
    ['prompts/get', guard('prompts/get', (params, ctx) => registry.getPrompt(params, ctx))],
  ]);
  table.set(
    'resources/read',
    guard('resources/read', (params, ctx) => {
      const read = () => registry.routeByUri('resources/read', params, ctx);
      return deps.resultCache ? deps.resultCache.readResource(params, ctx.principal, read) : read();
    }),
  );
  // Subscriptions need a client that stays connected to hear of updates: a session.
  if (subscriptions) {
    const uriOf = (params: Record<string, unknown>) => {
      if (typeof params.uri !== 'string') throw new GatewayError('InvalidParams', 'resources/subscribe needs a "uri"');
      return params.uri;
    };
    const subscriberOf = (ctx: CallContext): Server => {
      if (!ctx.subscriber) throw new GatewayError('MethodNotFound', 'Subscriptions need a session', { expose: true });
      return ctx.subscriber;
    };
    // With Redis the session's record names the replica holding each subscription (sharedSessions.ts).
    table.set(
      'resources/subscribe',
      guard('resources/subscribe', async (params, ctx) => {
        const uri = uriOf(params);
        const result = await subscriptions.subscribe(uri, subscriberOf(ctx), ctx);
        if (ctx.sessionKey !== undefined) await sharedSessions?.addSubscription(ctx.sessionKey, uri);
        return result;
      }),
    );
    table.set(
      'resources/unsubscribe',
      guard('resources/unsubscribe', async (params, ctx) => {
        const uri = uriOf(params);
        const result = await subscriptions.unsubscribe(uri, subscriberOf(ctx), ctx);
        if (ctx.sessionKey !== undefined) await sharedSessions?.removeSubscription(ctx.sessionKey, uri);
        return result;
      }),
    );
  }
  if (registry.capabilities().completions)
    table.set(
      'completion/complete',
      guard('completion/complete', (params, ctx) => registry.complete(params, ctx)),
    );
  return table;
}

/** The methods the audit log records (plus admin actions, recorded by the admin API). */
const AUDITED_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get']);

/** The methods whose handlers may answer `input_required` (the protocol allows no others). */
const INPUT_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
 * The SDK Server, with one correction: params its request schemas refuse (an unknown log level,
 * `resources/read` without a `uri`, `initialize` without params) are the client's fault, but the
 * SDK throws a plain Error with zod's issue list, which it answers as -32603 InternalError. Here
 * they become -32602 Invalid params. (`_wrapHandler` is the SDK's documented hook for this.)
 */
class GatewayServer extends Server {
  /**
   * The SDK makes an `SdkError` ("Connection closed") at every close, for the requests still
   * waiting, even when none is. A current-protocol request has a server of its own, closed once
   * it is answered, and capturing that error's stack took 3 % of the gateway's CPU per call
   * (6–7 µs in a micro-benchmark; docs/BENCHMARKS.md, tenth pass). So errors made while the
   * server closes carry no stack trace; their messages and codes are unchanged.
   */
  protected override _onclose(): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super._onclose();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  protected override _wrapHandler(
    method: string,
    handler: Parameters<Server['_wrapHandler']>[1],
  ): ReturnType<Server['_wrapHandler']> {
    const wrapped = super._wrapHandler(method, handler);
    return async (request, ctx) => {
      try {
        return await wrapped(request, ctx);
      } catch (err) {
        if (!(err instanceof ProtocolError) && err instanceof Error && err.message.trimStart().startsWith('['))
          throw invalidParams(method, schemaIssues(err.message));
        // The SDK's own -32602 for a request its schema refuses carries zod's raw issue list: reworded alike.
        const raw =
          err instanceof ProtocolError &&
          err.code === ErrorCode.InvalidParams &&
          /^Invalid \S+ request: (\[[\s\S]*\])$/.exec(err.message);
        if (raw) throw invalidParams(method, schemaIssues(raw[1]!));
        throw err;
      }
    };
  }
}

/** zod's issue list, from the JSON of the SDK's error message (none when it is not that). */
function schemaIssues(text: string): SchemaIssue[] {
  try {
    return JSON.parse(text) as SchemaIssue[];
  } catch {
    return [];
  }
}

/** Options of a session's server ({@link createMcpServer}). */
export interface SessionServerOptions {
  /** Told the level the client sets with `logging/setLevel` (kept to wake a dormant session with). */
  onLogLevel?: (level: string) => void;
}

/** A new SDK Server wired to the registry. `sessionKey` makes consistent hashing sticky per client session. */
export function createMcpServer(deps: McpServerDeps, sessionKey?: string, options: SessionServerOptions = {}): Server {
  const codec = deps.stateCodec;
  const server = new GatewayServer(GATEWAY_IMPLEMENTATION, {
    capabilities: deps.registry.capabilities(),
    jsonSchemaValidator: new LateAjvValidator(),
    ...(codec ? { requestState: { verify: codec.verify } } : {}),
    instructions:
      'Only1MCP aggregates several MCP servers; tool and prompt names are prefixed with their server id.' +
      (Object.values(deps.registry.settings.context.profiles).some((p) => p.lazy_tools)
        ? `\n\n${LAZY_TOOLS_GUIDE}`
        : ''),
  });
  // A session's server subscribes to resources and may have backend connections of its own;
  // when it closes, both go with it.
  const client = sessionKey !== undefined && deps.subscriptions ? server : undefined;
  const link = sessionKey !== undefined ? createSessionLink(server, sessionKey) : undefined;
  if (sessionKey !== undefined) {
    server.onclose = () => {
      if (client) deps.subscriptions?.dropClient(client);
      void deps.registry.releaseSession(sessionKey).catch(() => undefined);
    };
  }
  if (link) {
    // The backends that know this client's roots (its own connections) hear that they changed.
    server.setNotificationHandler(
      'notifications/roots/list_changed',
      () => void deps.registry.sessionRootsChanged(link.session.key).catch(() => undefined),
    );
  }
  if (link && server.getCapabilities().logging) {
    server.setRequestHandler('logging/setLevel', async (request) => {
      // Filtered here too: a backend may ignore the level, and shared connections never get it.
      link.setLogLevel(request.params.level);
      options.onLogLevel?.(request.params.level);
      await deps.registry.setSessionLogLevel(link.session.key, request.params.level);
      await deps.sharedSessions?.setLogLevel(link.session.key, request.params.level);
      return {};
    });
  }
  for (const [method, handler] of methodTableOf(deps)) {
    if (SESSION_METHODS.has(method) && !client) continue;
    // The table holds only methods whose capability the server declares, so the SDK accepts each.
    server.setRequestHandler(method as 'tools/call', async (request, ctx) => {
      const { params, progressToken } = forwardParams(request.params as Record<string, unknown> | undefined);
      // Backend progress goes back to this request of this client, under the client's own token,
      // in order and before the result (a client drops progress that arrives after it).
      let delivered: Promise<void> = Promise.resolve();
      const onProgress =
        progressToken === undefined
          ? undefined
          : (progress: Progress) => {
              const notification = {
                method: 'notifications/progress' as const,
                params: { ...progress, progressToken },
              };
              delivered = delivered.then(() => ctx.mcpReq.notify(notification)).catch(() => undefined);
            };
      const leave = link?.enter({
        send: (r, options) => ctx.mcpReq.send(r as never, options),
        notify: (n) => ctx.mcpReq.notify(n as never),
      });
      // A retry of a multi-round call: the backend gets its own state and the client's answers back,
      // on the replica that holds the state. (The SDK took both out of the params and verified the state.)
      const state = ctx.mcpReq.requestState<BridgeState>();
      const affinity: { replica?: number } = { replica: state?.r };
      const forwarded =
        state && state.p === undefined
          ? { ...params, requestState: state.s, inputResponses: ctx.mcpReq.inputResponses }
          : params;
      const clientCapabilities =
        ((ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY] as
          ClientCapabilities | undefined) ?? server.getClientCapabilities();
      // The HTTP edge verified the caller and attached it (http/authGate.ts); the SDK hands it over here.
      const extra = (ctx.http?.authInfo as GatewayAuthInfo | undefined)?.extra;
      const principal = extra?.principal;
      const profile = extra?.profile;
      const call = (session: CallingSession | undefined, signal: AbortSignal, progress = onProgress) =>
        handler(forwarded, {
          sessionKey,
          signal,
          onProgress: progress,
          session,
          clientCapabilities,
          affinity,
          principal,
          profile,
          subscriber: client,
        });
      // A current-protocol client asks for log messages per request, in the envelope.
      const logLevel = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[LOG_LEVEL_META_KEY] as
        string | undefined;
      const channel: RoundChannel = {
        progress: onProgress,
        log:
          logLevel === undefined
            ? undefined
            : (params) => {
                if (logLevelAllows(logLevel, params.level))
                  void ctx.mcpReq.notify({ method: 'notifications/message', params } as never).catch(() => undefined);
              },
      };
      try {
        let result: Record<string, unknown>;
        const parked = deps.parked;
        // A client without a session that can answer input (or wants log messages): a 2025-11-25
        // backend's request during the call is parked and handed to it as input_required, and the
        // call's logs and progress follow the client's latest request (parkedCalls.ts).
        if (
          parked &&
          codec &&
          (state?.p !== undefined ||
            (!link && INPUT_METHODS.has(method) && (answersInput(clientCapabilities) || logLevel !== undefined)))
        ) {
          const outcome =
            state?.p !== undefined
              ? await parked.resume(state.p, ctx.mcpReq.inputResponses, channel)
              : await parked.start(clientCapabilities ?? {}, call, channel);
          if (outcome.kind === 'input') {
            const requestState = await codec.mint({ p: outcome.parkId }, ctx);
            return inputRequired({ inputRequests: { [outcome.key]: outcome.request }, requestState } as never) as never;
          }
          result = outcome.result;
        } else {
          result = await call(link?.session, ctx.mcpReq.signal);
        }
        // A 2026-07-28 backend asks for input: the client answers it (a 2025-11-25 session through
        // the SDK's shim, as real requests on its stream), then retries with the answers.
        if (isInputRequiredResult(result) && codec) {
          const requestState = await codec.mint({ r: affinity.replica, s: result.requestState }, ctx);
          return inputRequired({ inputRequests: result.inputRequests, requestState }) as never;
        }
        return result as never;
      } finally {
        leave?.();
        await delivered;
      }
    });
  }
  return server;
}
