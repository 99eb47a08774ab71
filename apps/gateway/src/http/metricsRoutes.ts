/**
 * `GET /metrics` (Prometheus text; the admin API serves it too, as `/api/v1/admin/metrics`), and
 * the loopback check the admin API falls back to when no authentication is configured.
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

/** Answers a scrape with the Prometheus text of `metrics`. */
export async function serveMetrics(metrics: GatewayMetrics, res: Response): Promise<void> {
  const { contentType, body } = await metrics.exposition();
  res.type(contentType).send(body);
}

/** Mounts `GET /metrics`. */
export function mountMetricsRoutes(app: Express, metrics: GatewayMetrics): void {
  app.get('/metrics', (_req, res, next) => void serveMetrics(metrics, res).catch(next));
}
