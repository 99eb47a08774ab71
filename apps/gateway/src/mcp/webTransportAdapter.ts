/**
 * Serves an SDK web-standard handler — a session's `WebStandardStreamableHTTPServerTransport`, or
 * the current protocol's `createMcpHandler` — to Node's HTTP server: the Node request becomes a
 * web `Request` (the SDK's `toWebRequest`, or, when the edge parsed the body, `parsedRequest`
 * below), the handler's `Response` is written back as it comes, honouring backpressure.
 *
 * Why not the SDK's `NodeStreamableHTTPServerTransport`: it goes through `@hono/node-server`,
 * which holds back the headers of a streamed reply whose first chunk is ready but whose body is
 * not finished with a `setTimeout` (at least 1 ms): every 2025-11-25 session request waited for it
 * (docs/BENCHMARKS.md).
 *
 * Why not the SDK's `toNodeHandler` either: it gives each `Request` an abort signal, and Node's
 * `Request` then keeps an AbortController of its own through a WeakRef and a FinalizationRegistry
 * entry, which V8's young GC treats as strong references (checked on Node 20). So whatever that
 * controller's signal reaches (the reply stream, the session's transport and server) is promoted
 * to the old generation, even when the session closes or sleeps a moment later: 5,000 sessions
 * asleep right after their handshake still cost ~28 KiB of RSS each, most of it such garbage. Here
 * the `Request` has no signal; a client that goes away cancels the reply stream instead. That also
 * covers what `toNodeHandler` lacked:
 * - it sent the headers only with the first chunk, so a quiet GET stream would leave its client
 *   waiting for the response to begin: the headers of a stream are flushed at once;
 * - it noticed that the client went away only when the next chunk came, which on a quiet stream
 *   may be never, so the transport kept the stream (and refused the client's next GET stream as a
 *   second one): the stream is cancelled as soon as the connection closes.
 * A handler that learns of a client going away from `request.signal` (the current protocol's: a
 * call whose client hangs up is cancelled, before any reply exists to cancel) is given, with
 * `signal: 'connection'`, the connection's hang-up signal there: one per keep-alive connection
 * (statelessFastPath.ts), not one per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toWebRequest } from '@modelcontextprotocol/node';
import type { AuthInfo, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import {
  ErrorCode,
  MEDIA_TYPES,
  jsonRpcError,
  mediaTypeOf,
  type JsonRpcErrorResponse,
  type RequestId,
} from '@only1mcp/mcp-types';
import { bodyTooLarge } from '../http/bodyErrors';
import { hangUpSignal } from './statelessFastPath';

/** Serves one HTTP request with a transport; `parsedBody` is the body the edge already parsed. */
export type NodeTransportHandler = (req: IncomingMessage, res: ServerResponse, parsedBody?: unknown) => Promise<void>;

/** A web-standard MCP handler: a transport's `handleRequest`, or a `createMcpHandler` handler's `fetch`. */
export type WebHandler = (request: Request, extra: { authInfo?: AuthInfo; parsedBody?: unknown }) => Promise<Response>;

/** Options of {@link serveWebHandler}. */
export interface ServeWebTransportOptions {
  /** The largest body read from the request (only when it was not parsed already). */
  maxRequestBodySize: number;
  /** Told of failures the adapter answers with 500 itself. */
  onerror: (err: Error) => void;
  /** `connection`: `request.signal` is the connection's hang-up signal (see the file's comment); by default the request has none. */
  signal?: 'connection';
}

/** A JSON-RPC error the adapter answers itself (the gateway's own bodies, as on every other path). */
function errorReply(res: ServerResponse, status: number, body: JsonRpcErrorResponse): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

/** The request's id, when the body the edge parsed has one. */
function requestId(body: unknown): RequestId | undefined {
  const { id } = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as { id?: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** Headers of a request that the `Request` built from it does not carry: its body's framing. */
const BODY_FRAMING = new Set(['content-length', 'content-encoding', 'transfer-encoding']);

/**
 * The web `Request` of a Node request whose body the edge already parsed: its method, URL and
 * headers, without a body. The SDK reads nothing from a request's body when it is given the parsed
 * one (`parsedBody`, always passed with it here), so `toWebRequest`'s re-serialised copy of the
 * body, and the web stream undici makes for it, were never read: 8 µs a request instead of 21 in
 * a micro-benchmark (docs/BENCHMARKS.md, eighth pass). The URL is `toWebRequest`'s.
 */
function parsedRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const name in req.headers) {
    const value = req.headers[name];
    if (value === undefined || name.startsWith(':') || BODY_FRAMING.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const host = req.headers.host ?? 'localhost';
  return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers });
}

/** Resolves once `res` can take more (`drain`) or is gone (`close`). */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      res.off('drain', go);
      res.off('close', go);
      resolve();
    };
    res.on('drain', go);
    res.on('close', go);
  });
}

/** The Node request handler of a session's `transport`. */
export function serveWebTransport(
  transport: WebStandardStreamableHTTPServerTransport,
  options: ServeWebTransportOptions,
): NodeTransportHandler {
  return serveWebHandler((request, extra) => transport.handleRequest(request, extra), options);
}

/** The Node request handler of a web-standard `handle`. */
export function serveWebHandler(handle: WebHandler, options: ServeWebTransportOptions): NodeTransportHandler {
  return async (req, res, parsedBody) => {
    // A client may go away before the reply begins.
    let gone = false;
    res.once('close', () => {
      gone = true;
    });
    let response: Response;
    try {
      // No signal of its own: see the header. (A body the edge parsed is passed on as it is and not read again.)
      const request =
        parsedBody === undefined
          ? await toWebRequest(req, undefined, { maxRequestBodySize: options.maxRequestBodySize })
          : parsedRequest(req);
      // Shadows the Request's own `signal` getter on this one object (a Request made with a signal
      // would build a controller of its own, the promotion the file's comment describes).
      if (options.signal === 'connection')
        Object.defineProperty(request, 'signal', { value: hangUpSignal(req.socket), enumerable: true });
      const authInfo = (req as IncomingMessage & { auth?: AuthInfo }).auth;
      response = await handle(request, {
        ...(authInfo !== undefined && { authInfo }),
        ...(parsedBody !== undefined && { parsedBody }),
      });
    } catch (err) {
      if ((err as { name?: unknown }).name === 'RequestBodyTooLargeError') {
        const { status, body } = bodyTooLarge(options.maxRequestBodySize);
        return errorReply(res, status, body);
      }
      options.onerror(err instanceof Error ? err : new Error(String(err)));
      return errorReply(
        res,
        500,
        jsonRpcError(requestId(parsedBody), ErrorCode.InternalError, 'Internal server error'),
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    const mediaType = mediaTypeOf(headers['content-type']);
    if (response.body && mediaType === MEDIA_TYPES.json) {
      // A JSON reply is whole at once: sent with its length, in one write (streamed, it went out
      // chunked, its end in a write and a packet of its own that woke the client again).
      let body: Buffer;
      try {
        body = Buffer.from(await response.arrayBuffer());
      } catch (err) {
        options.onerror(err instanceof Error ? err : new Error(String(err)));
        return void res.destroy();
      }
      if (gone) return;
      delete headers['transfer-encoding'];
      res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(response.status, headers);
    if (!response.body) {
      res.end();
      return;
    }
    // A quiet stream would otherwise leave its client waiting for the response to begin.
    if (mediaType === MEDIA_TYPES.eventStream) res.flushHeaders();
    const reader = response.body.getReader();
    // The transport frees a stream when it is cancelled: at once, not when its next event finds the socket gone.
    const cancel = () => void reader.cancel().catch(() => undefined);
    if (gone) cancel();
    else res.once('close', cancel);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || gone) break;
        if (!res.write(value)) await writable(res);
      }
    } catch {
      // The stream failed or was cancelled: end what was sent.
    }
    res.end();
  };
}
