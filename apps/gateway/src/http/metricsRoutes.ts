/**
 * `GET /metrics` (Prometheus text) and `GET /api/v1/admin/metrics` (the same, under the admin API).
 * The admin API answers loopback peers only until authentication arrives (issue 6/8): it will
 * hold admin actions, so it must not be reachable from the network by default.
 */
import { isIP } from 'node:net';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { Express, NextFunction, Request, Response } from 'express';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** Refuses any peer that is not on this machine. */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLoopbackAddress(req.socket.remoteAddress)) return next();
  res.status(403).json(jsonRpcError(undefined, ErrorCode.Forbidden, 'The admin API answers loopback clients only'));
}

/** Mounts the metrics routes. */
export function mountMetricsRoutes(app: Express, metrics: GatewayMetrics): void {
  const serve = async (_req: Request, res: Response) => {
    const { contentType, body } = await metrics.exposition();
    res.type(contentType).send(body);
  };
  app.get('/metrics', (req, res, next) => void serve(req, res).catch(next));
  app.get('/api/v1/admin/metrics', loopbackOnly, (req, res, next) => void serve(req, res).catch(next));
}
