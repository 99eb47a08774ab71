/**
 * DNS-rebinding protection shared by every HTTP front (`/mcp`, `/sse`, `/messages`): a web page
 * that rebinds its own name to 127.0.0.1 must not reach a gateway listening on loopback.
 */
import { localhostAllowedHostnames, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import type { Config } from '@only1mcp/config';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Express middleware that answers 403 unless Host and Origin are loopback names or in the operator's allow-lists. */
export function dnsRebindingGuard(server: Config['server']): RequestHandler {
  const hosts = [...localhostAllowedHostnames(), ...server.allowed_hosts];
  const origins = [...hosts, ...server.allowed_origins.map((o) => new URL(o).hostname)];
  return (req: Request, res: Response, next: NextFunction) => {
    // The SDK's checks, but answered with the gateway's own code: the SDK's node guards send
    // -32000, which the gateway never uses (it is ambiguous with SDK v1's "connection closed").
    const host = validateHostHeader(req.headers.host, hosts);
    const origin = host.ok ? validateOriginHeader(req.headers.origin, origins) : host;
    if (origin.ok) return next();
    res.status(403).json(jsonRpcError(undefined, ErrorCode.Forbidden, origin.message));
  };
}
