/**
 * `createApp(deps)` builds the Express app; it never listens, so tests drive it with supertest
 * and `main` owns the port. Routes: `/mcp` (both protocol generations), `/health`, `/ready`.
 */
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import { localhostAllowedHostnames } from '@modelcontextprotocol/server';
import type { Config } from '@only1mcp/config';
import { ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { Logger, Registry } from '@only1mcp/registry';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createMcpEndpoint, type McpEndpoint } from '../mcp/mcpEndpoint';
import { VERSION } from '../version';

/** What the app is built from. */
export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
}

/** The app and the MCP endpoint (for shutdown). */
export interface GatewayApp {
  app: express.Express;
  mcp: McpEndpoint;
}

/** Builds the gateway's Express app. */
export function createApp({ config, registry, logger }: AppDeps): GatewayApp {
  const app = express();
  app.disable('x-powered-by');
  const mcp = createMcpEndpoint({ config, registry, logger, maxBodyBytes: config.server.max_body_size });

  // DNS-rebinding protection: loopback names always, plus the operator's allow-list.
  const hosts = [...localhostAllowedHostnames(), ...config.server.allowed_hosts];
  const validHost = hostHeaderValidation(hosts);
  const validOrigin = originValidation([...hosts, ...config.server.allowed_origins.map((o) => new URL(o).hostname)]);
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (validHost(req, res) && validOrigin(req, res)) next();
  };

  app.get('/health', (_req, res) => {
    const servers = registry.status();
    res.json({ status: 'ok', version: VERSION, servers: servers.map((s) => ({ id: s.id, up: s.up, enabled: s.enabled, replicas: s.replicas })) });
  });
  app.get('/ready', (_req, res) => {
    const ready = registry.ready;
    res.status(ready ? 200 : 503).json({ ready, servers: registry.status().map((s) => ({ id: s.id, up: s.up })) });
  });

  const json = express.json({ limit: config.server.max_body_size, type: () => true });
  app.all('/mcp', guard, (req, res, next) => (req.method === 'POST' ? json(req, res, next) : next()), (req, res, next) => {
    mcp.handle(req, res).catch(next);
  });

  // Body errors become JSON-RPC errors with the status the spec asks for; nothing else leaks.
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err.type === 'entity.too.large') {
      res.status(413).json(jsonRpcError(undefined, ErrorCode.InvalidRequest, `Request body is larger than ${config.server.max_body_size} bytes`));
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json(jsonRpcError(undefined, ErrorCode.ParseError, 'Parse error: the body is not valid JSON'));
    } else {
      logger.error('unexpected error', { error: err.stack ?? String(err) });
      res.status(500).json(jsonRpcError(undefined, ErrorCode.InternalError, 'Internal error'));
    }
  });
  return { app, mcp };
}
