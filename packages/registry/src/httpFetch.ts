/**
 * The `fetch` the SDK's HTTP client transports (Streamable HTTP, legacy SSE) reach backends with:
 * `node:http`/`node:https` on keep-alive agents, answering with a WHATWG `Response` as `fetch` does.
 *
 * Why not Node's own `fetch` (undici): every response it returns is held through `WeakRef`s (the
 * response and its body stream, for its finalizer), and V8's young-generation collector treats a
 * `WeakRef` target as alive, so each request's whole object graph (request clone, streams, socket
 * parser state) is promoted to the old generation and waits there for a full collection. With 100
 * HTTP backends pinged every 10 s that kept the gateway at 110–175 MiB RSS; this adapter's
 * garbage dies young (docs/BENCHMARKS.md, sixth pass), and a `tools/call` to an HTTP backend
 * costs the gateway 40 % less CPU.
 *
 * A small response that declares its length (up to {@link WHOLE_BODY_MAX}) is read whole before it
 * is answered, and its body handed over as bytes (wholeBodyResponse.ts, read without a web stream
 * unless one is asked for): a web stream adapted from the socket costs more than the body. When
 * that body answers a POST and is a complete event stream of one `message`
 * event and nothing else, the response says `application/json` and carries the event's data
 * (soleSseMessage.ts), so the SDK reads it as the equivalent JSON answer (a POST may be answered
 * either way; a GET stream is read as an event stream whatever it says, so it is left as it is).
 * A response without a length (a stream that carries progress, the GET stream) is streamed as it
 * arrives.
 *
 * What it does not do, because the SDK's transports do not ask for it: follow redirects (the SDK
 * passes `redirect: 'manual'` and follows same-origin ones itself; `'error'` is honoured), stream a
 * request body (bodies are strings or bytes), or ask for compressed responses.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { MEDIA_TYPES, mediaTypeOf } from '@only1mcp/mcp-types';
import { soleSseMessage } from './soleSseMessage';
import { wholeBodyResponse } from './wholeBodyResponse';

/**
 * How long an idle keep-alive socket is kept: undici's default, under the 5 s that Node's and
 * most servers keep one, so a request is not sent on a socket the server is closing. A server's
 * `Keep-Alive: timeout=N` hint shortens it (Node's agent reads it) or lengthens it (below).
 */
const IDLE_SOCKET_MS = 4_000;
/**
 * The longest a server's `Keep-Alive: timeout=N` makes an idle socket stay: below the idle
 * timeouts of common NATs and load balancers (60 s and more), which drop a connection without a
 * word, and above the default health-check interval (10 s), so a backend that keeps connections
 * that long answers its pings (and a call after a quiet spell) on the one it has.
 */
const MAX_HINTED_IDLE_SOCKET_MS = 30_000;

/** Where a socket keeps how long its server keeps an idle connection, as last heard, in ms. */
const keepAliveHintMs = Symbol('keepAliveHintMs');
type HintedSocket = Socket & { [keepAliveHintMs]?: number };

/**
 * What each origin last said in `Keep-Alive: timeout=N`, in ms. A server's idle timeout is its
 * own, for every connection, but not every response says it: Node leaves the header out when the
 * application sets `Connection` itself, as the SDK's servers do for their event-stream answers
 * (most answers to a POST), while their other answers (202, 405) carry it. One entry per backend
 * origin.
 */
const originHints = new Map<string, number>();

/** How long the server of `url` keeps an idle connection, by `res` or by what it said before. */
function heardKeepAlive(url: URL, res: http.IncomingMessage): number | undefined {
  const hint = keepAliveHint(res.headers['keep-alive']);
  if (hint === undefined) return originHints.get(url.origin);
  originHints.set(url.origin, hint);
  return hint;
}

/** The `timeout=N` of a `Keep-Alive` header, in ms. */
function keepAliveHint(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  const seconds = text === undefined ? undefined : /(?:^|[\s,])timeout=(\d+)/i.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** Node's agent keeps or destroys a freed socket as `keepSocketAlive` answers (@types/node says `void`). */
type KeepSocketAlive = (this: http.Agent, socket: Socket) => boolean;

/**
 * Node's agent keeps an idle socket for its `timeout`, shortened to what the response announces
 * less a second; `agent` keeps it for what the server announced less a second, shorter or longer
 * (up to {@link MAX_HINTED_IDLE_SOCKET_MS}), from this response or an earlier one of the same
 * origin. `keepSocketAlive` is the agent's documented hook for it.
 */
function keepingAsHinted<A extends http.Agent>(agent: A): A {
  const keepSocketAlive = agent.keepSocketAlive as unknown as KeepSocketAlive;
  const asHinted: KeepSocketAlive = function (socket) {
    const keep = keepSocketAlive.call(this, socket);
    const hint = (socket as HintedSocket)[keepAliveHintMs];
    if (!keep || hint === undefined) return keep;
    // A second less, as Node's agent does, so a request does not meet a socket the server is closing.
    const idleMs = Math.min(hint - 1000, MAX_HINTED_IDLE_SOCKET_MS);
    if (idleMs <= 0) return false;
    socket.setTimeout(idleMs);
    return true;
  };
  agent.keepSocketAlive = asHinted as unknown as A['keepSocketAlive'];
  return agent;
}

/** How long a TCP (and TLS) connect may take, as undici's default. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Statuses whose response has no body (the `Response` constructor rejects one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Attempts of one request when reused keep-alive sockets turn out closed (see send). */
const MAX_ATTEMPTS = 3;
/** The largest body, declared by `Content-Length`, that is read whole before the response is answered. */
const WHOLE_BODY_MAX = 64 * 1024;

const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, noDelay: true };
/** By URL protocol: how a request is made, and the agent whose sockets it reuses. */
const clients = {
  'http:': { request: http.request, agent: keepingAsHinted(new http.Agent(agentOptions)) },
  'https:': { request: https.request, agent: keepingAsHinted(new https.Agent(agentOptions)) },
};

/** Rejects as `fetch` does when the network fails: a TypeError "fetch failed" with the cause. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

/** The request headers as node:http takes them (a `Headers` joins repeated ones as fetch sends them). */
function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  // The SDK passes a Headers already: read as it is, not copied into another.
  const headers = init?.headers instanceof Headers ? init.headers : new Headers(init?.headers);
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function bodyOf(init: RequestInit | undefined): string | Uint8Array | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('httpFetch sends string or byte bodies only');
}

/** The response's headers, repeated ones kept (as `fetch` does, `set-cookie` included). */
function responseHeaders(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * Requests in flight by the signal that aborts them. The SDK gives every request of a backend
 * connection the same signal (its transport's), so a listener per request would pile up: more
 * than ten at once is Node's MaxListenersExceededWarning on the gateway's stderr. One listener per
 * signal serves them all and leaves when the last request is done.
 */
const bySignal = new WeakMap<AbortSignal, { requests: Set<ClientRequest>; onAbort: () => void }>();

/** Destroys `request` with the signal's reason if `signal` aborts before the request closes. */
function abortWith(signal: AbortSignal, request: ClientRequest): void {
  let watch = bySignal.get(signal);
  if (!watch) {
    const requests = new Set<ClientRequest>();
    const onAbort = () => {
      for (const each of requests) each.destroy(signal.reason);
    };
    watch = { requests, onAbort };
    bySignal.set(signal, watch);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { requests, onAbort } = watch;
  requests.add(request);
  request.once('close', () => {
    requests.delete(request);
    if (requests.size > 0) return;
    bySignal.delete(signal);
    signal.removeEventListener('abort', onAbort);
  });
}

/** Fails a socket that has not connected in time (node:http itself waits for the OS, minutes). */
function boundConnect(socket: Socket): void {
  if (!socket.connecting) return;
  const timer = setTimeout(() => {
    const err = Object.assign(new Error(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`), {
      code: 'ETIMEDOUT',
    });
    socket.destroy(err);
  }, CONNECT_TIMEOUT_MS);
  const clear = () => clearTimeout(timer);
  socket.once('connect', clear);
  socket.once('close', clear);
}

/** The whole body of `res`; rejects as fetch does when the connection fails (or the signal aborts) before its end. */
function readWhole(res: http.IncomingMessage, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const failed = (err?: Error) =>
      reject(signal?.aborted ? signal.reason : fetchFailed(err ?? new Error('the response ended early')));
    res.once('error', failed);
    res.once('close', () => {
      if (!res.complete) failed();
    });
  });
}

/**
 * The Response of a body read whole: the bytes as they came, or, answering a POST (`answersPost`)
 * with an event stream of one `message` event and nothing else, that event's data as the
 * `application/json` answer it is equivalent to (see the file's comment).
 */
function wholeResponse(res: http.IncomingMessage, status: number, body: Buffer, answersPost: boolean): Response {
  const headers = responseHeaders(res);
  const eventStream = mediaTypeOf(headers.get('content-type')) === MEDIA_TYPES.eventStream;
  const data = answersPost && eventStream ? soleSseMessage(body.toString('utf8')) : undefined;
  if (data !== undefined) {
    headers.set('content-type', MEDIA_TYPES.json);
    headers.set('content-length', String(Buffer.byteLength(data)));
  }
  return wholeBodyResponse(data === undefined ? body : Buffer.from(data), {
    status,
    statusText: res.statusMessage,
    headers,
  });
}

/** What one request is, parsed once for every attempt. */
interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
  redirect: RequestInit['redirect'];
}

/**
 * Sends one request. A keep-alive socket the server closed just before it was reused fails before
 * any answer ("socket hang up"): the request is sent again on another socket, as browsers do,
 * since the server closed that connection idle and never saw the request. Bounded, so a server
 * that resets every connection still fails.
 */
function send(out: Outgoing, resolve: (res: Response) => void, reject: (err: unknown) => void, attempt = 1): void {
  const { url, method, signal } = out;
  const client = clients[url.protocol as keyof typeof clients];
  const request = client.request(url, { method, headers: out.headers, agent: client.agent });
  let answered = false;
  // As fetch: an abort before the headers rejects with the signal's reason; after them, the
  // body stream errors.
  if (signal) abortWith(signal, request);
  request.once('socket', boundConnect);
  request.once('error', (err: NodeJS.ErrnoException) => {
    if (answered) return;
    if (signal?.aborted) return reject(signal.reason);
    if (request.reusedSocket && err.code === 'ECONNRESET' && attempt < MAX_ATTEMPTS)
      return send(out, resolve, reject, attempt + 1);
    reject(fetchFailed(err));
  });
  request.once('response', (res) => {
    answered = true;
    // For the agent when the socket goes back to it (keepingAsHinted, above).
    (res.socket as HintedSocket)[keepAliveHintMs] = heardKeepAlive(url, res);
    try {
      const status = res.statusCode ?? 0;
      if (out.redirect === 'error' && REDIRECT_STATUSES.has(status)) {
        res.resume();
        request.destroy();
        return reject(fetchFailed(new Error(`redirected (HTTP ${status}) and redirect is 'error'`)));
      }
      const empty = method === 'HEAD' || NULL_BODY_STATUSES.has(status);
      // An empty body is read here, so the socket goes back to the agent at once.
      if (empty) res.resume();
      if (!empty && Number(res.headers['content-length']) <= WHOLE_BODY_MAX)
        return void readWhole(res, signal)
          .then((body) => wholeResponse(res, status, body, method === 'POST'))
          .then(resolve, reject);
      const stream = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders(res) }));
    } catch (err) {
      res.destroy();
      reject(fetchFailed(err));
    }
  });
  request.end(out.body);
}

/** `fetch` over node:http(s); see the file's comment for what it leaves to the SDK. */
export const httpFetch: FetchLike = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    if (!(url.protocol in clients)) return reject(fetchFailed(new Error(`unsupported protocol ${url.protocol}`)));
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    let body: string | Uint8Array | undefined;
    try {
      body = bodyOf(init);
    } catch (err) {
      return reject(err);
    }
    const method = (init?.method ?? 'GET').toUpperCase();
    send({ url, method, headers: headersOf(init), body, signal, redirect: init?.redirect }, resolve, reject);
  });
