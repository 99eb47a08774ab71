/**
 * Builds the SDK server that answers a client: one instance per HTTP request (current protocol and
 * stateless requests) or per 2025-11-25 session. Every handler delegates to the registry; list
 * results come from the aggregated catalogue, paginated with an opaque cursor.
 */
import { ProtocolError, Server } from '@modelcontextprotocol/server';
import type { Config } from '@only1mcp/config';
import { ErrorCode, GatewayError, errorCodeName, toJsonRpcError } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { Drain } from '../drain';
import { GATEWAY_IMPLEMENTATION, type Logger, type Registry } from '@only1mcp/registry';

/** Encodes a list offset as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; throws InvalidParams for anything else. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new GatewayError('InvalidParams', 'Invalid cursor', { expose: true, context: { cursor } });
}

function page<T>(items: readonly T[], cursor: unknown, size: number): { items: T[]; nextCursor?: string } {
  const start = decodeCursor(cursor);
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, nextCursor: encodeCursor(start + size) } : { items: slice };
}

/** Dependencies of {@link createMcpServer}. */
export interface McpServerDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  /** Where request counts and durations go; the stdio front has no /metrics and passes none. */
  metrics?: GatewayMetrics;
  /** Counts calls in flight so shutdown can wait for them. */
  drain?: Drain;
}

type Params = Record<string, unknown>;

/** A new SDK Server wired to the registry. `sessionKey` makes consistent hashing sticky per client session. */
export function createMcpServer({ config, registry, logger, metrics, drain }: McpServerDeps, sessionKey?: string): Server {
  const capabilities = registry.capabilities();
  const server = new Server(GATEWAY_IMPLEMENTATION, {
    capabilities,
    instructions: 'Only1MCP aggregates several MCP servers; tool and prompt names are prefixed with their server id.',
  });
  const size = config.routing.page_size;
  const call = (ctx: { mcpReq: { signal: AbortSignal } }) => ({ sessionKey, signal: ctx.mcpReq.signal });
  const params = (request: { params?: unknown }): Params => (request.params ?? {}) as Params;

  // The one place a failure becomes the JSON-RPC error a client sees (no stack, no internals),
  // and where every request is counted and timed.
  const guard = async <T>(method: string, work: () => T | Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    let status = 'ok';
    try {
      return await (drain ? drain.track(work) : work());
    } catch (err) {
      const error = toJsonRpcError(err);
      // A backend's own code outside our table is labelled 'Other' so the label set stays bounded.
      status = errorCodeName(error.code) ?? 'Other';
      if (error.code === ErrorCode.InternalError) logger.error('request failed unexpectedly', { method, error: (err as Error)?.stack ?? String(err) });
      else logger.debug('request failed', { method, code: error.code, error: error.message });
      throw new ProtocolError(error.code, error.message, error.data);
    } finally {
      metrics?.observeRequest(method, status, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
  const list = <K extends 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>(method: string, key: K, cursor: unknown) =>
    guard(method, () => {
      const { items, nextCursor } = page(registry.catalog[key], cursor, size);
      return { [key]: items, ...(nextCursor ? { nextCursor } : {}) } as never;
    });
  server.setRequestHandler('tools/list', (request) => list('tools/list', 'tools', request.params?.cursor));
  server.setRequestHandler('prompts/list', (request) => list('prompts/list', 'prompts', request.params?.cursor));
  server.setRequestHandler('resources/list', (request) => list('resources/list', 'resources', request.params?.cursor));
  server.setRequestHandler('resources/templates/list', (request) => list('resources/templates/list', 'resourceTemplates', request.params?.cursor));
  server.setRequestHandler('tools/call', (request, ctx) => guard('tools/call', () => registry.callTool(params(request), call(ctx))) as never);
  server.setRequestHandler('prompts/get', (request, ctx) => guard('prompts/get', () => registry.getPrompt(params(request), call(ctx))) as never);
  for (const method of ['resources/read', 'resources/subscribe', 'resources/unsubscribe'] as const) {
    server.setRequestHandler(method, (request, ctx) => guard(method, () => registry.routeByUri(method, params(request), call(ctx))) as never);
  }
  // The SDK refuses a handler for an undeclared capability, and completions are declared only when a backend offers them.
  if (capabilities.completions) {
    server.setRequestHandler('completion/complete', (request, ctx) => guard('completion/complete', () => registry.complete(params(request), call(ctx))) as never);
  }
  return server;
}
