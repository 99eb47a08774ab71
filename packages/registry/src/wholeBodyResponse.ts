/**
 * A `Response` whose whole body is already in memory (httpFetch.ts reads a small response whole
 * before answering). A `Response` made from bytes wraps them in a web `ReadableStream` at once, and
 * reading them back (`json()`, `text()`) goes through that stream: on Node 20 that costs ~15 µs of
 * CPU a response and most of its garbage (docs/BENCHMARKS.md, ninth pass), more than the rest of
 * the response. The SDK's client transports read a JSON answer with `json()` and an error's with
 * `text()`, so those read the bytes directly. Whatever needs the body as a stream (`body`,
 * `formData()`) gets the ordinary `Response` of the same bytes, made then, and every later read
 * goes through that one.
 *
 * It behaves as a fetched `Response`: a body is read once (`bodyUsed`; a second read rejects with
 * a TypeError), `text()` decodes UTF-8 without a byte-order mark, `clone()` gives an unread copy.
 */
export function wholeBodyResponse(bytes: Uint8Array, init: ResponseInit): Response {
  return new WholeBodyResponse(bytes, init) as unknown as Response;
}

/**
 * `Response` as a base class whose readers may be overridden: TypeScript declares them as
 * properties, which a subclass may not redefine as methods or accessors. (A subclass is what makes
 * this cheap: the same readers set as own properties of each response cost more than a stream.)
 */
const OverridableResponse = Response as unknown as new (
  body: null,
  init: ResponseInit,
) => Pick<Response, 'status' | 'statusText' | 'headers'>;

class WholeBodyResponse extends OverridableResponse {
  /** The body, until it is read or handed to the stream Response. */
  #bytes: Uint8Array | undefined;
  #used = false;
  /** The ordinary Response of the body, once something needed it as a stream. */
  #streamed: Response | undefined;

  constructor(bytes: Uint8Array, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  /** The ordinary Response of the body: made on first need, and from then on the only reader of it. */
  #asStream(): Response {
    if (!this.#streamed) {
      const init = { status: this.status, statusText: this.statusText, headers: this.headers };
      this.#streamed = new Response(this.#used ? new Uint8Array() : this.#bytes!, init);
      // A body read already stays read.
      if (this.#used) void this.#streamed.arrayBuffer();
      this.#bytes = undefined;
    }
    return this.#streamed;
  }

  /** The bytes, taken once; a TypeError as fetch's when they were read already. */
  #take(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const bytes = this.#bytes!;
    this.#bytes = undefined;
    return bytes;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#asStream().body;
  }

  get bodyUsed(): boolean {
    return this.#streamed ? this.#streamed.bodyUsed : this.#used;
  }

  async text(): Promise<string> {
    return this.#streamed ? this.#streamed.text() : decodeUtf8(this.#take());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#streamed) return this.#streamed.arrayBuffer();
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    if (this.#streamed) return this.#streamed.blob();
    return new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  formData(): Promise<FormData> {
    return this.#asStream().formData();
  }

  clone(): Response {
    if (this.#streamed) return this.#streamed.clone();
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    const init = { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) };
    return wholeBodyResponse(this.#bytes!, init);
  }
}

/** UTF-8 text as `Response.text()` decodes it: a leading byte-order mark dropped, bad bytes as U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
