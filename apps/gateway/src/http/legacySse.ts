/**
 * The 2024-11-05 HTTP+SSE front for clients that predate Streamable HTTP: `GET /sse` opens a
 * stream whose first event (`endpoint`) names `/messages?sessionId=…`; the client POSTs its
 * messages there and reads every answer from the stream. SDK v2 has no SSE server transport, so
 * each stream is SDK v1's `SSEServerTransport` driving its own `createMcpServer` instance; the
 * lists and plain calls a session of /mcp has answered by the gateway itself are answered here
 * the same way, their replies sent on the stream through the same transport.
 */
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ErrorCode, JSONRPC_VERSION, jsonRpcError, jsonRpcResult, toJsonRpcError } from '@only1mcp/mcp-types';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler, Response } from 'express';
import type { Server } from '@modelcontextprotocol/server';
import type { ChangedList } from '@only1mcp/registry';
import { createMcpServer, methodTableOf, type McpServerDeps } from '../mcp/createMcpServer';
import {
  answersInput,
  cancelAllSessionCalls,
  cancelSessionCall,
  directSessionCall,
  trackSessionCall,
  type DirectSession,
} from '../mcp/sessionCalls';
import { clientOf, type SessionSummary } from '../sessionSummary';
import { callerOf, principalOf, type GatewayAuthInfo } from './authGate';
import { jsonBody } from './jsonBody';
import { sendListChanged } from '../mcp/listChanged';

/**
 * SDK v1's SSE server transport, loaded when the first stream opens: a gateway no pre-2025 client
 * uses should not hold SDK v1 and its schemas (1.2 MiB of heap, 0.9 MiB of RSS measured on top of
 * the rest of the gateway; docs/BENCHMARKS.md, eleventh pass).
 */
function sseServerTransport(): typeof SSEServerTransport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@modelcontextprotocol/sdk/server/sse.js') as { SSEServerTransport: typeof SSEServerTransport })
    .SSEServerTransport;
}

/** Where the client POSTs; the transport appends `?sessionId=…` when it announces it. */
const MESSAGES_PATH = '/messages';

/** What {@link mountLegacySse} needs besides the MCP server dependencies. */
export interface LegacySseOptions extends McpServerDeps {
  /** The DNS-rebinding guard `/mcp` uses, so both fronts accept exactly the same Host/Origin. */
  guard: RequestHandler;
}

/** The mounted SSE front, for shutdown and observability. */
export interface LegacySse {
  /** Open SSE streams. */
  readonly sessionCount: number;
  /** The open sessions, for the admin API. */
  sessions(): SessionSummary[];
  /** Tells every SSE client that lists changed. */
  notifyListChanged(changed: readonly ChangedList[]): void;
  /** True while the stream of this session id is open here (the hot path takes its POSTs). */
  holdsStream(id: string): boolean;
  /**
   * Answers a message POSTed for the stream `id` (body already read and parsed) when the gateway
   * answers it itself, as `POST /messages` would; false, nothing written, otherwise.
   */
  answerDirectly(id: string, req: IncomingMessage, res: ServerResponse, body: unknown): boolean;
  /** Ends every stream and refuses new ones. */
  close(): Promise<void>;
}

/** How the client's POSTs to a stream begin: `/messages?sessionId=` and the id. */
export const MESSAGES_URL_PREFIX = `${MESSAGES_PATH}?sessionId=`;

const sendError = (res: Response, status: number, code: ErrorCode, message: string) =>
  res.status(status).json(jsonRpcError(undefined, code, message));

/** Mounts `GET /sse` and `POST /messages` on `app`; mount it before the app's error handler, which turns body errors into 400/413. */
export function mountLegacySse(app: Express, { guard, ...deps }: LegacySseOptions): LegacySse {
  const sessions = new Map<string, SSEServerTransport>();
  // Each stream's server, to tell its client about list changes.
  const servers = new Map<string, Server>();
  const lastSeen = new Map<string, number>();
  // The authenticated client of each stream (with `auth`): only it may post to the stream's session.
  const owners = new Map<string, string | undefined>();
  // What each stream's requests answered by the gateway itself need (sessionCalls.ts).
  const directs = new Map<string, DirectSession>();
  let closing = false;
  // As /mcp reads a body (any content type here too: old clients are not all careful about it).
  const json = jsonBody(deps.config.server.max_body_size);

  /**
   * What the gateway answers itself on a stream, as in a session of /mcp (sessionCalls.ts): lists
   * and plain calls, their reply sent on the stream by the SDK transport, and the cancellation of
   * such a call. True when `req`'s message is one of them (answered 202 then).
   */
  function answerHere(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    transport: SSEServerTransport,
  ): boolean {
    const session = directs.get(transport.sessionId);
    if (!session) return false;
    const accepted = () => res.writeHead(202).end();
    if (cancelSessionCall(body, session)) {
      accepted();
      return true;
    }
    const request = directSessionCall(body, methodTableOf(deps), deps.registry, session);
    if (!request) return false;
    // Accepted before the work starts, as the SDK transport does: the client may post again meanwhile.
    accepted();
    const call = trackSessionCall(session, request);
    const { principal, profile } = callerOf(req);
    request
      .handler(request.params, { signal: call.signal, principal, profile, sessionKey: session.id })
      .then(
        (result) => jsonRpcResult(request.id, result),
        (err: unknown) => ({ jsonrpc: JSONRPC_VERSION, id: request.id, error: toJsonRpcError(err) }),
      )
      .then((message) => {
        call.done();
        // A cancelled call's reply is not sent, as the protocol asks.
        if (!call.aborted) void transport.send(message as never).catch(() => undefined);
      });
    return true;
  }

  app.get('/sse', guard, (req, res, next) => {
    if (closing) return void sendError(res, 503, ErrorCode.ShuttingDown, 'The gateway is shutting down');
    const transport = new (sseServerTransport())(MESSAGES_PATH, res);
    const id = transport.sessionId;
    // The v1 transport calls onclose again from close(); only the first call does the work.
    transport.onclose = () => {
      const direct = directs.get(id);
      if (direct) cancelAllSessionCalls(direct);
      directs.delete(id);
      servers.delete(id);
      lastSeen.delete(id);
      owners.delete(id);
      if (sessions.delete(id)) deps.logger.info('sse session closed', { session: id });
    };
    sessions.set(id, transport);
    lastSeen.set(id, Date.now());
    owners.set(id, principalOf(req)?.clientId);
    // A v1 transport satisfies the v2 Transport interface as it is (start/send/close/on*): no adapter.
    const server = createMcpServer(deps, id);
    servers.set(id, server);
    directs.set(id, {
      id,
      // Read at each request: the client declares its capabilities in `initialize`, after the stream opened.
      get answersInput() {
        return answersInput(server.getClientCapabilities());
      },
      calls: new Map(),
    });
    server.connect(transport).then(() => deps.logger.info('sse session opened', { session: id }), next);
  });

  app.post(
    MESSAGES_PATH,
    guard,
    (req, res, next) => {
      const id = req.query.sessionId;
      if (typeof id === 'string' && sessions.has(id) && owners.get(id) === principalOf(req)?.clientId) return next();
      sendError(res, 404, ErrorCode.SessionNotFound, 'Session not found: open a new stream with GET /sse');
    },
    json,
    (req, res) => {
      const transport = sessions.get(req.query.sessionId as string);
      // The stream may have closed while the body was read.
      if (!transport)
        return void sendError(
          res,
          404,
          ErrorCode.SessionNotFound,
          'Session not found: open a new stream with GET /sse',
        );
      lastSeen.set(req.query.sessionId as string, Date.now());
      if (answerHere(req, res, req.body, transport)) return;
      // handleMessage (not handlePostMessage) so bad messages get JSON-RPC errors like /mcp, not plain text.
      const authInfo = (req as { auth?: GatewayAuthInfo }).auth;
      transport.handleMessage(req.body, authInfo ? { authInfo } : undefined).then(
        () => res.status(202).end(),
        () =>
          sendError(res, 400, ErrorCode.InvalidRequest, 'Invalid Request: the body is not one JSON-RPC 2.0 message'),
      );
    },
  );

  return {
    get sessionCount() {
      return sessions.size;
    },
    holdsStream: (id) => sessions.has(id),
    answerDirectly(id, req, res, body) {
      const transport = sessions.get(id);
      if (!transport || owners.get(id) !== principalOf(req)?.clientId) return false;
      if (!answerHere(req, res, body, transport)) return false;
      lastSeen.set(id, Date.now());
      return true;
    },
    sessions() {
      return [...servers].map(([id, server]) => ({
        id,
        transport: 'sse' as const,
        client: clientOf(server),
        lastSeen: new Date(lastSeen.get(id) ?? Date.now()).toISOString(),
      }));
    },
    notifyListChanged(changed) {
      for (const server of servers.values()) sendListChanged(server, changed);
    },
    async close() {
      closing = true;
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      sessions.clear();
      servers.clear();
    },
  };
}
