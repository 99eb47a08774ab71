/**
 * A 2024-11-05 HTTP+SSE client, as the load generator's clients speak it: `GET /sse` opens a
 * stream whose first event (`endpoint`) names where to POST; each POST is answered 202 and its
 * JSON-RPC answer arrives on the stream. Written on node:http like {@link JsonRpcHttpClient}
 * (one socket for the stream, one keep-alive socket for the POSTs) rather than with the SDK's
 * SSEClientTransport, whose fetch + EventSource + zod validation of every message would cost the
 * load generator more CPU than the floor server spends per request, on a 2-core machine that the
 * gateway shares.
 */
import { request, type ClientRequest } from 'node:http';
import {
  assertLoopback,
  JsonRpcHttpClient,
  parseResponse,
  parseSseEvent,
  type JsonRpcReply,
} from './jsonRpcHttpClient';

/** The protocol version a legacy SSE client announces. */
export const LEGACY_PROTOCOL_VERSION = '2024-11-05';

const JSON_HEADERS = { 'content-type': 'application/json' };

interface Waiter {
  resolve(reply: JsonRpcReply): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** One legacy SSE session: its stream, the endpoint it posts to, and the answers it waits for. */
export class LegacySseClient {
  private readonly pending = new Map<unknown, Waiter>();
  private closed: Error | undefined;
  private stream: ClientRequest | undefined;
  /** POSTs to the session's endpoint, once the stream named it. */
  private http: JsonRpcHttpClient | undefined;

  private constructor(private readonly timeoutMs: number) {}

  /**
   * Opens a stream on `url` (the gateway's `/sse`), waits for its endpoint and initializes the
   * session (`initialize`, then `notifications/initialized`), as an SDK v1 client does.
   */
  static async open(url: string, clientName: string, timeoutMs = 10_000): Promise<LegacySseClient> {
    const client = new LegacySseClient(timeoutMs);
    try {
      const endpoint = await client.listen(assertLoopback(url));
      client.http = new JsonRpcHttpClient({ url: endpoint, maxSockets: 1, timeoutMs });
      await client.initialize(clientName);
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /** Opens the stream; resolves with the endpoint its first event names. */
  private listen(target: URL): Promise<string> {
    return new Promise((resolve, reject) => {
      let endpoint: string | undefined;
      const stream = (this.stream = request(
        target,
        { method: 'GET', agent: false, headers: { accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return reject(new Error(`GET ${target.href}: HTTP ${res.statusCode}`));
          }
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            const events = buffer.split(/\r?\n\r?\n/);
            buffer = events.pop()!;
            for (const text of events) {
              const { event, data } = parseSseEvent(text);
              if (event === 'endpoint' && endpoint === undefined) {
                endpoint = new URL(data, target).href;
                // The stream stays open for the whole run: only requests time out.
                stream.setTimeout(0);
                resolve(endpoint);
              } else if (event === 'message') this.answered(parseResponse(data));
            }
          });
          res.on('end', () => this.fail(new Error('the SSE stream ended')));
          res.on('error', (err) => this.fail(err));
        },
      ));
      stream.setTimeout(this.timeoutMs, () => stream.destroy(new Error(`no endpoint event in ${this.timeoutMs} ms`)));
      stream.on('error', (err) => {
        reject(err);
        this.fail(err);
      });
      stream.end();
    });
  }

  private async initialize(clientName: string): Promise<void> {
    const init = await this.request(
      0,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: LEGACY_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: clientName, version: '0.0.0' },
        },
      }),
    );
    if (init?.result === undefined) throw new Error(`initialize failed: ${JSON.stringify(init)}`);
    const posted = await this.post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    if (posted.status !== 202) throw new Error(`notifications/initialized: HTTP ${posted.status}`);
  }

  /**
   * POSTs one JSON-RPC request (`body`, whose id is `id`) and resolves with its answer from the
   * stream; undefined when the POST was not accepted (HTTP other than 202).
   */
  async request(id: number, body: string): Promise<JsonRpcReply | undefined> {
    if (this.closed) throw this.closed;
    const answer = new Promise<JsonRpcReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${id} in ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    // Awaited only once the POST is answered; a failure before then must not count as unhandled.
    answer.catch(() => undefined);
    try {
      const posted = await this.post(body);
      if (posted.status === 202) return await answer;
    } catch (err) {
      this.forget(id);
      throw err;
    }
    this.forget(id);
    return undefined;
  }

  private post(body: string) {
    if (!this.http) throw new Error('the SSE stream named no endpoint yet');
    return this.http.send('POST', body, JSON_HEADERS);
  }

  /** Ends the stream and the POST socket. */
  close(): void {
    this.fail(new Error('closed'));
    this.stream?.destroy();
    this.http?.close();
  }

  private answered(message: JsonRpcReply | undefined): void {
    const waiter = message && this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    clearTimeout(waiter.timer);
    waiter.resolve(message);
  }

  private forget(id: number): void {
    const waiter = this.pending.get(id);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.pending.delete(id);
  }

  private fail(err: Error): void {
    this.closed ??= err;
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
    this.pending.clear();
  }
}
