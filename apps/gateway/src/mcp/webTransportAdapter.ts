/**
 * Serves an SDK web-standard transport (`WebStandardStreamableHTTPServerTransport`) to Node's
 * HTTP server through the SDK's own adapter, `toNodeHandler`, with two corrections for streamed
 * (SSE) replies.
 *
 * Why not the SDK's `NodeStreamableHTTPServerTransport`: it goes through `@hono/node-server`,
 * which holds back the headers of a streamed reply whose first chunk is ready but whose body is
 * not finished with a `setTimeout` (at least 1 ms): every 2025-11-25 session request waited for it
 * (docs/BENCHMARKS.md). `toNodeHandler` writes the headers and each chunk as they come, but:
 * - it sends the headers only with the first chunk, so a quiet GET stream would leave its client
 *   waiting for the response to begin: the headers of a stream are flushed at once;
 * - it notices that the client went away only when the next chunk comes, which on a quiet stream
 *   may be never, so the transport would keep the stream (and refuse the client's next GET stream
 *   as a second one): the stream is cancelled as soon as the connection closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';

/** Serves one HTTP request with a transport; `parsedBody` is the body the edge already parsed. */
export type NodeTransportHandler = (req: IncomingMessage, res: ServerResponse, parsedBody?: unknown) => Promise<void>;

/** Options of {@link serveWebTransport}. */
export interface ServeWebTransportOptions {
  /** The largest body read from the request (only when it was not parsed already). */
  maxRequestBodySize: number;
  /** Told of failures the adapter answers with 500 itself. */
  onerror: (err: Error) => void;
}

const isEventStream = (contentType: unknown) =>
  typeof contentType === 'string' && contentType.startsWith('text/event-stream');

/** A stream whose client went away is cancelled at once: `toNodeHandler` aborts the request's signal on close. */
function cancelOnAbort(request: Request, response: Response): Response {
  if (!response.body || !isEventStream(response.headers.get('content-type'))) return response;
  return new Response(response.body.pipeThrough(new TransformStream(), { signal: request.signal }), response);
}

/** Sends a stream's headers as soon as they are written, before its first event. */
function flushStreamHeaders(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    const headers = args.find((a) => typeof a === 'object' && a !== null) as Record<string, unknown> | undefined;
    if (isEventStream(headers?.['content-type'])) this.flushHeaders();
    return this;
  } as ServerResponse['writeHead'];
}

/** The Node request handler of `transport`. */
export function serveWebTransport(
  transport: WebStandardStreamableHTTPServerTransport,
  options: ServeWebTransportOptions,
): NodeTransportHandler {
  const handler = toNodeHandler(
    { fetch: async (request, opts) => cancelOnAbort(request, await transport.handleRequest(request, opts)) },
    options,
  );
  return (req, res, parsedBody) => {
    flushStreamHeaders(res);
    return handler(req, res, parsedBody);
  };
}
