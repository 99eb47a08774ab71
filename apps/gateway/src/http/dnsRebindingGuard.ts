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

/** The check: Host and Origin must be loopback names or in the operator's allow-lists. */
export function dnsRebindingCheck(server: Config['server']): HeaderCheck {
  const hosts = [...localhostAllowedHostnames(), ...server.allowed_hosts];
  const origins = [...hosts, ...server.allowed_origins.map((o) => new URL(o).hostname)];
  return (headers) => {
    const host = validateHostHeader(headers.host, hosts);
    const origin = host.ok ? validateOriginHeader(headers.origin, origins) : host;
    return origin.ok ? { ok: true } : { ok: false, message: origin.message };
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
