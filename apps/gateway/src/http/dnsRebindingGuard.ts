/**
 * DNS-rebinding protection shared by every HTTP front (`/mcp`, `/sse`, `/messages`, and the `/mcp`
 * hot path): a web page that rebinds its own name to 127.0.0.1 must not reach a gateway listening
 * on loopback.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { localhostAllowedHostnames, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import type { Config } from '@only1mcp/config';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Whether a request's Host and Origin may reach the gateway, with the reason when not. */
export type HeaderCheck = (headers: IncomingHttpHeaders) => { ok: true } | { ok: false; message: string };

/** Distinct Host/Origin pairs whose verdict is remembered; past it the memo starts over (a client sending random names cannot grow it). */
const VERDICTS_KEPT = 256;

/**
 * The check: Host and Origin must be loopback names or in the operator's allow-lists. The verdict
 * is a function of the two header values, and the SDK's check parses each as a URL (some 6 µs per
 * request, a tenth of the floor's whole request), so it is remembered per pair: clients send the
 * same few.
 */
export function dnsRebindingCheck(server: Config['server']): HeaderCheck {
  const hosts = [...localhostAllowedHostnames(), ...server.allowed_hosts];
  const origins = [...hosts, ...server.allowed_origins.map((o) => new URL(o).hostname)];
  const verdicts = new Map<string, ReturnType<HeaderCheck>>();
  return (headers) => {
    // NUL cannot be in a header value: it stands for a header left out.
    const key = `${headers.host ?? '\0'}\n${headers.origin ?? '\0'}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      const host = validateHostHeader(headers.host, hosts);
      const origin = host.ok ? validateOriginHeader(headers.origin, origins) : host;
      verdict = origin.ok ? { ok: true } : { ok: false, message: origin.message };
      if (verdicts.size >= VERDICTS_KEPT) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}

/** Express middleware that answers 403 when {@link dnsRebindingCheck} refuses the request. */
export function dnsRebindingGuard(check: HeaderCheck): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // The SDK's checks, but answered with the gateway's own code: the SDK's node guards send
    // -32000, which the gateway never uses (it is ambiguous with SDK v1's "connection closed").
    const result = check(req.headers);
    if (result.ok) return next();
    res.status(403).json(jsonRpcError(undefined, ErrorCode.Forbidden, result.message));
  };
}
