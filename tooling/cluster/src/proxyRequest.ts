/**
 * One request through the Node balancer: the body is read whole (MCP messages are small, and a
 * held body can be sent again when a replica refuses the connection), the response is streamed
 * chunk by chunk (SSE flows event by event), and either side hanging up ends the other side
 * without ever throwing.
 */
import type { Agent, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { Upstream } from './balancer';
import { GATEWAY_PATHS } from './gatewayPaths';
import type { LegacySseAffinity } from './legacySseAffinity';
import type { UpstreamPool } from './upstreamPool';

/** What a request needs from the balancer. */
export interface ProxyContext {
  pool: UpstreamPool;
  affinity: LegacySseAffinity;
  /** Keep-alive connections to the replicas. */
  agent: Agent;
}

/** The largest body held for a retry; far above any gateway's `server.max_body_size`. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), so they are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        reject(new BodyTooLargeError());
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => reject(new Error('client went away')));
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

function forwardedHeaders(req: IncomingMessage, body: Buffer): IncomingHttpHeaders {
  const headers = withoutHopByHop(req.headers);
  const client = req.socket.remoteAddress;
  if (client)
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${client}` : client;
  if (body.length > 0 || headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
    headers['content-length'] = String(body.length);
  return headers;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!;
}

/** Answers with a JSON-RPC error from the balancer itself (no replica could take the request). */
function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(jsonRpcError(undefined, code, message)));
}

/** Sends the request to one replica; 'unreachable' when the connection failed before the replica saw the request. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  upstream: Upstream,
  context: ProxyContext,
): Promise<'done' | 'unreachable'> {
  return new Promise((resolve) => {
    const target = new URL(upstream.url);
    const upstreamReq = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, body),
      agent: context.agent,
    });
    let responded = false;
    let failed = false;
    const clientGone = () => {
      if (!res.writableFinished) upstreamReq.destroy();
    };
    res.once('close', clientGone);
    upstreamReq.once('response', (upstreamRes) => {
      responded = true;
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, withoutHopByHop(upstreamRes.headers));
      res.flushHeaders();
      if (pathOf(req.url) === GATEWAY_PATHS.legacySse && upstreamRes.statusCode === 200)
        context.affinity.watch(upstreamRes, upstream.name);
      upstreamRes.on('error', () => res.destroy());
      upstreamRes.once('close', () => {
        if (!upstreamRes.complete) res.destroy();
      });
      upstreamRes.pipe(res);
      resolve('done');
    });
    upstreamReq.on('error', (err: NodeJS.ErrnoException) => {
      if (responded) return res.destroy();
      if (failed) return;
      failed = true;
      // Retry elsewhere only when the replica cannot have acted on the request: the connection was
      // refused, or a kept-alive connection turned out dead (what HAProxy's `retry-on conn-failure` does).
      const neverArrived = err.code === 'ECONNREFUSED' || (upstreamReq.reusedSocket && err.code === 'ECONNRESET');
      if (neverArrived && !res.destroyed) {
        res.off('close', clientGone);
        return resolve('unreachable');
      }
      if (!res.destroyed)
        sendError(res, 502, ErrorCode.BackendUnavailable, `gateway replica ${upstream.name} failed: ${err.message}`);
      resolve('done');
    });
    upstreamReq.end(body);
  });
}

/** Proxies one client request to a gateway replica (sticky for legacy `/messages`, else round robin). */
export async function proxyRequest(req: IncomingMessage, res: ServerResponse, context: ProxyContext): Promise<void> {
  // A client that hangs up is not an error of the balancer's: the exchange just ends.
  req.on('error', () => res.destroy());
  res.on('error', () => res.destroy());
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      sendError(res, 413, ErrorCode.InvalidRequest, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    else res.destroy();
    return;
  }
  const owner = pathOf(req.url) === GATEWAY_PATHS.legacyMessages ? context.affinity.ownerOf(req.url!) : undefined;
  const tried = new Set<string>();
  for (;;) {
    // A legacy session lives on one replica; when that one is gone its session is gone too, and
    // any replica can say so (404 SessionNotFound), telling the client to reconnect.
    const sticky = owner && !tried.has(owner) ? context.pool.healthyByName(owner) : undefined;
    const upstream = sticky ?? context.pool.next(tried);
    if (!upstream) {
      const [status, message] =
        tried.size === 0 ? [503, 'no gateway replica is ready'] : [502, 'no gateway replica could be reached'];
      return sendError(res, status, ErrorCode.BackendUnavailable, message);
    }
    tried.add(upstream.name);
    if ((await forward(req, res, body, upstream, context)) === 'done') return;
    context.pool.markDown(upstream.name);
  }
}
