/**
 * The aggregated catalogue: every backend's tools, prompts, resources and templates under
 * collision-free names, and the maps that route a name or URI back to its owner.
 *
 * Naming: `{prefix}{separator}{name}`, prefix = the server's `prefix` or its id; `prefix: ""`
 * keeps names unchanged. A name longer than the spec's 128 characters is left out (and logged):
 * a client could not call it. When two backends end up with the same name (only possible with
 * `prefix: ""`), the backend listed first in the configuration wins and the conflict is logged.
 * Two backends listing the same resource URI: likewise, the first one in the configuration owns it.
 */
import { NAME_RULES, type Prompt, type Resource, type ResourceTemplate, type Tool } from '@only1mcp/mcp-types';
import type { Logger } from '@only1mcp/logger';

/** What one backend lists, exactly as it listed it. */
export interface BackendLists {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

/** Where a public name leads. */
export interface Owner {
  serverId: string;
  /** The name the backend knows it by. */
  name: string;
}

/** One snapshot of the aggregate, rebuilt whenever a backend's lists change. */
export interface Catalog {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  toolOwners: Map<string, Owner>;
  promptOwners: Map<string, Owner>;
  resourceOwners: Map<string, string>;
  /** Templates with their owner, in configuration order, for routing reads of templated URIs. */
  templateOwners: { pattern: RegExp; serverId: string }[];
}

/** A backend's contribution, in configuration order. */
export interface CatalogSource {
  serverId: string;
  prefix: string;
  lists: BackendLists;
}

/** Builds the public name of an item. */
export function publicName(prefix: string, separator: string, name: string): string {
  return prefix === '' ? name : `${prefix}${separator}${name}`;
}

/** Turns an RFC 6570 template into a regular expression that matches the URIs it describes. */
export function templatePattern(uriTemplate: string): RegExp {
  const parts = uriTemplate.split(/(\{[^}]*\})/);
  const source = parts
    .map((part) =>
      part.startsWith('{') ? (/^\{[+#]/.test(part) ? '.*' : '[^/?#]*') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** Aggregates the sources (in configuration order) into one catalogue. */
export function buildCatalog(sources: readonly CatalogSource[], separator: string, logger: Logger): Catalog {
  const catalog: Catalog = {
    tools: [],
    prompts: [],
    resources: [],
    resourceTemplates: [],
    toolOwners: new Map(),
    promptOwners: new Map(),
    resourceOwners: new Map(),
    templateOwners: [],
  };
  const named = <T extends { name: string }>(
    kind: 'tool' | 'prompt',
    items: T[],
    source: CatalogSource,
    out: T[],
    owners: Map<string, Owner>,
  ) => {
    for (const item of items) {
      const name = publicName(source.prefix, separator, item.name);
      if (!NAME_RULES.pattern.test(name)) {
        logger.warn(`${kind} left out: its public name breaks the spec's naming rules`, {
          server: source.serverId,
          name,
        });
        continue;
      }
      const existing = owners.get(name);
      if (existing) {
        logger.warn(`${kind} name conflict: the first server in the configuration keeps it`, {
          name,
          kept: existing.serverId,
          dropped: source.serverId,
        });
        continue;
      }
      owners.set(name, { serverId: source.serverId, name: item.name });
      out.push({ ...item, name });
    }
  };
  for (const source of sources) {
    named('tool', source.lists.tools, source, catalog.tools, catalog.toolOwners);
    named('prompt', source.lists.prompts, source, catalog.prompts, catalog.promptOwners);
    for (const resource of source.lists.resources) {
      const owner = catalog.resourceOwners.get(resource.uri);
      if (owner) {
        logger.warn('resource URI claimed by two servers: the first in the configuration keeps it', {
          uri: resource.uri,
          kept: owner,
          dropped: source.serverId,
        });
        continue;
      }
      catalog.resourceOwners.set(resource.uri, source.serverId);
      catalog.resources.push(resource);
    }
    for (const template of source.lists.resourceTemplates) {
      catalog.resourceTemplates.push(template);
      catalog.templateOwners.push({ pattern: templatePattern(template.uriTemplate), serverId: source.serverId });
    }
  }
  return catalog;
}
