/**
 * What a client may see and use (issue 6/8), applied inside the method table so every front
 * enforces it alike. Tools and prompts are granted by their public names (`files__read_*`); a
 * resource or template by `<server prefix><separator><uri>` (so `files__*` grants all of the
 * `files` server). A list shows only what the client may use; a call to anything else is refused
 * with Forbidden (-32033). With per-server rate limits, each client's calls to each server are
 * limited too.
 */
import type { Principal } from '@only1mcp/auth';
import { isMetaToolName } from '@only1mcp/context';
import { GatewayError } from '@only1mcp/mcp-types';
import { rateLimitKeys, type RateLimiter } from '@only1mcp/ratelimit';
import type { Registry } from '@only1mcp/registry';

/** The access decisions the method table needs (the gateway's AuthGate). */
export interface AccessControl {
  readonly enabled: boolean;
  allows(principal: Principal | undefined, name: string): boolean;
}

/** The name a resource (or template) is granted by. */
export function resourceGrantName(registry: Registry, serverId: string, uri: string): string {
  return `${registry.serverSettings(serverId)?.prefix ?? serverId}${registry.settings.routing.separator}${uri}`;
}

/** The grant name and owning server of a routed request's target; undefined for the gateway's own methods. */
export function targetOf(
  registry: Registry,
  method: string,
  params: Record<string, unknown>,
): { name: string; server?: string } | undefined {
  const catalog = registry.catalog;
  if (method === 'tools/call' || method === 'prompts/get') {
    const name = String(params.name);
    // The lazy-loading meta-tools are the gateway's own; what they reach is checked when they call it.
    if (method === 'tools/call' && isMetaToolName(name)) return undefined;
    const owner = (method === 'tools/call' ? catalog.toolOwners : catalog.promptOwners).get(name);
    return { name, server: owner?.serverId };
  }
  if (method === 'completion/complete') {
    const ref = params.ref as { type?: string; name?: unknown; uri?: unknown } | undefined;
    if (ref?.type === 'ref/prompt') {
      const name = String(ref.name);
      return { name, server: catalog.promptOwners.get(name)?.serverId };
    }
    if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') return uriTarget(registry, ref.uri);
    return undefined;
  }
  if (method.startsWith('resources/') && typeof params.uri === 'string') return uriTarget(registry, params.uri);
  return undefined;
}

function uriTarget(registry: Registry, uri: string): { name: string; server?: string } {
  const server = registry.resourceOwner(uri);
  return { name: server ? resourceGrantName(registry, server, uri) : uri, server };
}

/** Keeps the list items `principal` may use. */
export function visibleItems<T>(
  registry: Registry,
  key: 'tools' | 'prompts' | 'resources' | 'resourceTemplates',
  items: readonly T[],
  access: AccessControl | undefined,
  principal: Principal | undefined,
): readonly T[] {
  if (!access?.enabled) return items;
  const catalog = registry.catalog;
  if (key === 'tools' || key === 'prompts')
    return items.filter((item) => access.allows(principal, (item as { name: string }).name));
  if (key === 'resources')
    return items.filter((item) => {
      const uri = (item as { uri: string }).uri;
      const server = catalog.resourceOwners.get(uri);
      return server !== undefined && access.allows(principal, resourceGrantName(registry, server, uri));
    });
  return items.filter((_item, index) => {
    const owner = catalog.templateOwners[index];
    const template = (items[index] as { uriTemplate: string }).uriTemplate;
    return owner !== undefined && access.allows(principal, resourceGrantName(registry, owner.serverId, template));
  });
}

/** Refuses a routed request (its `targetOf`) the principal may not make, or one over its per-server rate limit. */
export async function checkAccess(
  target: ReturnType<typeof targetOf>,
  principal: Principal | undefined,
  access: AccessControl | undefined,
  perServer: RateLimiter | undefined,
): Promise<void> {
  if (!target || (!access?.enabled && !perServer)) return;
  // An unknown name is left to the registry (InvalidParams), but only for a client allowed to know it.
  if (access?.enabled && !access.allows(principal, target.name))
    throw new GatewayError('Forbidden', `Not allowed: ${target.name}`, {
      expose: true,
      context: { target: target.name },
    });
  if (perServer && target.server) {
    const client = principal?.clientId ?? 'anonymous';
    const decision = await perServer.consume(rateLimitKeys.clientServer(client, target.server));
    if (!decision.allowed)
      throw new GatewayError('RateLimited', `Rate limit reached for ${target.server}: retry later`, {
        expose: true,
        retryable: true,
        context: { retryAfterMs: decision.retryAfterMs, server: target.server },
      });
  }
}
