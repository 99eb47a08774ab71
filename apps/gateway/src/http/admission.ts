/**
 * The gate every MCP request passes before any MCP work (issue 6/8): who is it (AuthGate, 401),
 * is it over its rate limit (token bucket per client id, 429 with `Retry-After`), and may it open
 * one more SSE stream (`server.max_streams_per_client`, 429). Written once for the Express routes
 * and the `/mcp` hot path; refusals are answered here, counted, and audited.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '@only1mcp/auth';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import { rateLimitKeys, type RateLimiter } from '@only1mcp/ratelimit';
import type { AuditLog } from '../audit';
import { principalOf, type AuthGate } from './authGate';

/** What admission needs; the limiter and audit log are swapped on reload. */
export interface AdmissionDeps {
  gate: AuthGate;
  metrics?: GatewayMetrics;
  limiter: () => RateLimiter | undefined;
  audit?: AuditLog;
  maxStreamsPerClient: number;
}

/** The id a request is limited and audited under: its client id, or its address when auth is off. */
export function clientKey(req: IncomingMessage, principal: Principal | undefined): string {
  return principal?.clientId ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Admission for one gateway. */
export class Admission {
  private readonly streams = new Map<string, number>();

  constructor(private readonly deps: AdmissionDeps) {}

  /** True when requests must be admitted (auth or a rate limit is configured); the hot path skips it otherwise. */
  get active(): boolean {
    return this.deps.gate.enabled || this.deps.limiter() !== undefined;
  }

  /**
   * Authenticates and rate-limits a request. Resolves true when it may proceed (the principal is
   * attached to it); otherwise the refusal has been written and it resolves false.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const refusal = await this.deps.gate.admit(req);
    if (refusal) {
      this.deps.audit?.record({ action: 'http', outcome: 'unauthenticated', target: req.url });
      send(res, refusal.status, refusal.body, refusal.headers);
      return false;
    }
    const limiter = this.deps.limiter();
    if (!limiter) return true;
    const principal = principalOf(req);
    const client = clientKey(req, principal);
    const decision = await limiter.consume(rateLimitKeys.client(client));
    if (decision.allowed) return true;
    // Only configured client ids become label values; address-keyed clients share one label.
    this.deps.metrics?.observeRateLimited(principal?.clientId ?? 'anonymous');
    this.deps.audit?.record({
      action: 'http',
      clientId: principal?.clientId,
      outcome: 'rate_limited',
      target: req.url,
    });
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    send(
      res,
      429,
      jsonRpcError(undefined, ErrorCode.RateLimited, `Rate limit reached: retry in ${seconds} s`, {
        retryAfterMs: decision.retryAfterMs,
      }),
      { 'retry-after': String(seconds) },
    );
    return false;
  }

  /**
   * Counts an SSE stream of the request's client until the response closes; false (and 429
   * written) when the client already holds `server.max_streams_per_client`.
   */
  holdStream(req: IncomingMessage, res: ServerResponse): boolean {
    const key = clientKey(req, principalOf(req));
    const open = this.streams.get(key) ?? 0;
    if (open >= this.deps.maxStreamsPerClient) {
      send(
        res,
        429,
        jsonRpcError(
          undefined,
          ErrorCode.RateLimited,
          `Too many open streams: at most ${this.deps.maxStreamsPerClient} per client`,
        ),
        { 'retry-after': '1' },
      );
      return false;
    }
    this.streams.set(key, open + 1);
    res.once('close', () => {
      const left = (this.streams.get(key) ?? 1) - 1;
      if (left > 0) this.streams.set(key, left);
      else this.streams.delete(key);
    });
    return true;
  }
}
