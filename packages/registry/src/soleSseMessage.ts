/**
 * A complete `text/event-stream` body that is one `message` event and nothing else, as a
 * Streamable HTTP server answers a request that sent nothing before its result. The SDK client
 * reads any event stream through two web TransformStreams (text decoding, SSE parsing): about
 * 100 µs of CPU per response on Node 20, a fifth of what a call to an HTTP backend costs the
 * gateway (docs/BENCHMARKS.md, seventh pass). For a body of this one shape, `httpFetch` hands the
 * SDK the event's data as the equivalent `application/json` answer instead.
 */

/**
 * Exactly one event: an optional `event: message` line, then one `data` line, then the blank line
 * that ends the event, with LF or CRLF line ends. Anything else — an `id` (resumability), a
 * `retry`, a comment, a second event or data line, another event type — does not match and is
 * left to the SDK's SSE reader, which alone knows what those mean.
 */
const SOLE_MESSAGE = /^(?:event: ?message\r?\n)?data: ?([^\r\n]*)\r?\n\r?\n$/;

/** The data of `body` when it is one `message` event and nothing else (see {@link SOLE_MESSAGE}); undefined otherwise. */
export function soleSseMessage(body: string): string | undefined {
  const data = SOLE_MESSAGE.exec(body)?.[1];
  // An event whose data is empty dispatches nothing: the SDK's reader skips it.
  return data ? data : undefined;
}
