/**
 * The `/mcp` hot path, in front of Express: a POST without session or protocol-version header
 * (stateless, as older clients and curl send it), of a 2025-11-25 session held here awake, or to
 * a legacy SSE stream open here (`/messages?sessionId=`), is read, parsed and — when it is one
 * request the gateway may answer itself (statelessFastPath.ts, sessionCalls.ts) — answered
 * straight from the method table. A POST of the current protocol (2026-07-28, no session) is
 * read and parsed here too and served by the SDK's handler as the endpoint serves it
 * (`McpEndpoint.servePost`). Express's routing and body parsing cost about as much CPU per
 * request as the rest of the gateway together (docs/BENCHMARKS.md), so the commonest requests
 * skip them. Everything else goes to the Express app unchanged, a body compressed or in a charset
 * other than UTF-8 included (its body parser reads those); a body already read here is handed
 * over as `req.body` (the app's body parser skips a request whose stream has ended). Every check
 * of the Express route is made here too: Host/Origin, draining, body size and JSON syntax, with
 * the same answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CURRENT_PROTOCOL_VERSION, MCP_HEADERS } from '@only1mcp/mcp-types';
import type { Drain } from '../drain';
import type { McpEndpoint } from '../mcp/mcpEndpoint';
import { bodyNotJson, bodyTooDeep, bodyTooLarge, nestsTooDeep, unacceptableMedia } from './bodyErrors';
import type { HeaderCheck } from './dnsRebindingGuard';
import type { Admission } from './admission';
import { callerOf } from './authGate';
import { MESSAGES_URL_PREFIX, type LegacySse } from './legacySse';

/** A plain Node request listener. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the hot path needs. */
export interface HotPathDeps {
  mcp: McpEndpoint;
  drain: Drain;
  check: HeaderCheck;
  maxBodyBytes: number;
  /** Authentication and rate limits, when configured (the Express routes apply the same). */
  admission: Admission;
  /** The legacy SSE front, whose streams' POSTs it takes too. */
  sse: Pick<LegacySse, 'holdsStream' | 'answerDirectly'>;
}

function reply(res: ServerResponse, { status, body }: { status: number; body: unknown }): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The kinds of POST the hot path takes: stateless, of the current protocol, of a session held
 * here awake, to a legacy SSE stream open here.
 */
type HotRequest = { kind: 'stateless' } | { kind: 'current' } | { kind: 'session' } | { kind: 'stream'; id: string };

/** Which kind of POST `req` is, when the hot path takes it; undefined when it is the app's alone. */
function hotRequest(req: IncomingMessage, mcp: HotPathDeps['mcp'], sse: HotPathDeps['sse']): HotRequest | undefined {
  if (req.method !== 'POST') return undefined;
  // A legacy SSE stream's POST: `/messages?sessionId=ID` and nothing else in the URL.
  if (req.url?.startsWith(MESSAGES_URL_PREFIX)) {
    const id = req.url.slice(MESSAGES_URL_PREFIX.length);
    return sse.holdsStream(id) ? { kind: 'stream', id } : undefined;
  }
  if (req.url !== '/mcp') return undefined;
  const session = req.headers[MCP_HEADERS.sessionId];
  if (session === undefined) {
    const version = req.headers[MCP_HEADERS.protocolVersion];
    if (version === undefined) return { kind: 'stateless' };
    return version === CURRENT_PROTOCOL_VERSION ? { kind: 'current' } : undefined;
  }
  // Only while the session is held here awake: waking or adopting one is the app's.
  return mcp.holdsSession(session) ? { kind: 'session' } : undefined;
}

/**
 * Whether `type` (a Content-Type) declares a charset other than UTF-8. The hot path reads a body
 * as UTF-8; the app's body parser (`express.json()`) decodes UTF-16 and UTF-32 and refuses any
 * other charset (415), so such a request is left to it: read here, a Shift_JIS body would have
 * lost its non-ASCII text to U+FFFD, and a UTF-16 one been called malformed JSON.
 */
export function declaresOtherCharset(type: string | undefined): boolean {
  if (type === undefined || !/charset/i.test(type)) return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  return charset !== undefined && charset.toLowerCase() !== 'utf-8';
}

/**
 * Whether the body must go through the app's body parser to be read as it was sent: a charset
 * other than UTF-8 (above), or a `Content-Encoding` other than `identity`, which the parser
 * inflates (gzip, deflate, br, zstd where Node has it) under the same size limit or refuses
 * (415). Read here, a gzipped body was called malformed JSON.
 */
export function needsBodyParser(headers: IncomingMessage['headers']): boolean {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return true;
  return declaresOtherCharset(headers['content-type']);
}

const hasUtf8Bom = (raw: Buffer) => raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;

/** Wraps `fallback` (the Express app) with the hot path. */
export function withHotPath(
  { mcp, sse, drain, check, maxBodyBytes, admission }: HotPathDeps,
  fallback: Listener,
): Listener {
  return (req, res) => {
    const headers = req.headers;
    const hot = hotRequest(req, mcp, sse);
    if (!hot || drain.isDraining || !check(headers).ok || needsBodyParser(headers)) return fallback(req, res);
    // `/messages` reads any body as JSON, whatever its Content-Type: old clients are not all careful.
    const media = hot.kind === 'stream' ? undefined : unacceptableMedia(headers);
    if (media) return reply(res, media);
    if (Number(headers['content-length'] ?? 0) > maxBodyBytes) return reply(res, bodyTooLarge(maxBodyBytes));
    drain.trackResponse(res);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes && !refused) {
        refused = true;
        reply(res, bodyTooLarge(maxBodyBytes));
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (refused) return;
      let body: unknown;
      try {
        // A small body arrives in one chunk: parsed from it as it is, not copied into a new buffer.
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        // A UTF-8 byte-order mark (Windows tools send one) is not JSON; the app's body parser drops it too.
        body = JSON.parse(raw.toString('utf8', hasUtf8Bom(raw) ? 3 : 0));
      } catch {
        return reply(res, bodyNotJson());
      }
      if (nestsTooDeep(body)) return reply(res, bodyTooDeep());
      const serve = () => {
        if (hot.kind === 'current') return mcp.servePost(req, res, body);
        const answered =
          hot.kind === 'stream'
            ? sse.answerDirectly(hot.id, req, res, body)
            : hot.kind === 'session'
              ? mcp.answerInSession(req, res, body)
              : mcp.answerDirectly(body, res, callerOf(req));
        if (answered) return;
        (req as IncomingMessage & { body?: unknown }).body = body;
        // Admitted already: the Express route must not admit (and charge the rate limit) twice.
        (req as IncomingMessage & { admitted?: boolean }).admitted = true;
        fallback(req, res);
      };
      if (!admission.active) return serve();
      admission.admit(req, res).then(
        (ok) => ok && serve(),
        () => res.destroy(),
      );
    });
  };
}
