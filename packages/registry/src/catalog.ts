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

/**
 * One snapshot of the aggregate, rebuilt whenever a backend's lists change. Its items and owners
 * are shared with the snapshots built before and after it from the same listings: never modify one.
 */
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

/** Items under their public names, each with its owner (shared by every catalogue built from them). */
interface NamedItems<T> {
  items: T[];
  owners: Owner[];
}

/**
 * One listing of a backend as the catalogue takes it in: its tools and prompts renamed (names that
 * break the rules left out, and logged, once), its templates' patterns compiled, and the conflicts
 * already logged. Kept with the listing itself (a backend's new lists are a new object), so a
 * catalogue rebuilt because another backend's lists changed does not rename, copy or log again:
 * at start-up with 50 backends of 20 tools, every backend's first lists rebuilt it, and each
 * rebuild renamed and copied every tool listed so far (docs/BENCHMARKS.md, fifteenth pass).
 */
interface TakenListing {
  serverId: string;
  prefix: string;
  separator: string;
  tools: NamedItems<Tool>;
  prompts: NamedItems<Prompt>;
  templatePatterns: RegExp[];
  /** Names (and URIs) of this listing whose conflict with another server's has been logged. */
  conflictsLogged: Set<string>;
}

const taken = new WeakMap<BackendLists, TakenListing>();

/**
 * `source`'s listing as the catalogue takes it in: from {@link taken} while its server, its prefix
 * and the separator are those it was taken in with, else afresh.
 */
function takeIn(source: CatalogSource, separator: string, logger: Logger): TakenListing {
  const known = taken.get(source.lists);
  if (known && known.serverId === source.serverId && known.prefix === source.prefix && known.separator === separator)
    return known;
  const rename = <T extends { name: string }>(kind: 'tool' | 'prompt', items: readonly T[]): NamedItems<T> => {
    const named: NamedItems<T> = { items: [], owners: [] };
    for (const item of items) {
      const name = publicName(source.prefix, separator, item.name);
      if (!NAME_RULES.pattern.test(name)) {
        logger.warn(`${kind} left out: its public name breaks the spec's naming rules`, {
          server: source.serverId,
          name,
        });
        continue;
      }
      named.items.push({ ...item, name });
      named.owners.push({ serverId: source.serverId, name: item.name });
    }
    return named;
  };
  const listing: TakenListing = {
    serverId: source.serverId,
    prefix: source.prefix,
    separator,
    tools: rename('tool', source.lists.tools),
    prompts: rename('prompt', source.lists.prompts),
    templatePatterns: source.lists.resourceTemplates.map((template) => templatePattern(template.uriTemplate)),
    conflictsLogged: new Set(),
  };
  taken.set(source.lists, listing);
  return listing;
}

/**
 * Aggregates the sources (in configuration order) into one catalogue. An item that loses a
 * conflict is logged once per listing of its server, not at every rebuild.
 */
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
  /** Logs a conflict `listing` lost, unless this listing's has been logged already. */
  const conflict = (listing: TakenListing, key: string, message: string, fields: Record<string, unknown>) => {
    if (listing.conflictsLogged.has(key)) return;
    listing.conflictsLogged.add(key);
    logger.warn(message, fields);
  };
  const merge = <T extends { name: string }>(
    kind: 'tool' | 'prompt',
    named: NamedItems<T>,
    listing: TakenListing,
    out: T[],
    owners: Map<string, Owner>,
  ) => {
    for (let i = 0; i < named.items.length; i++) {
      const item = named.items[i]!;
      const existing = owners.get(item.name);
      if (existing) {
        conflict(
          listing,
          `${kind}:${item.name}`,
          `${kind} name conflict: the first server in the configuration keeps it`,
          {
            name: item.name,
            kept: existing.serverId,
            dropped: listing.serverId,
          },
        );
        continue;
      }
      owners.set(item.name, named.owners[i]!);
      out.push(item);
    }
  };
  for (const source of sources) {
    const listing = takeIn(source, separator, logger);
    merge('tool', listing.tools, listing, catalog.tools, catalog.toolOwners);
    merge('prompt', listing.prompts, listing, catalog.prompts, catalog.promptOwners);
    for (const resource of source.lists.resources) {
      const owner = catalog.resourceOwners.get(resource.uri);
      if (owner) {
        conflict(
          listing,
          `resource:${resource.uri}`,
          'resource URI claimed by two servers: the first in the configuration keeps it',
          {
            uri: resource.uri,
            kept: owner,
            dropped: source.serverId,
          },
        );
        continue;
      }
      catalog.resourceOwners.set(resource.uri, source.serverId);
      catalog.resources.push(resource);
    }
    source.lists.resourceTemplates.forEach((template, i) => {
      catalog.resourceTemplates.push(template);
      catalog.templateOwners.push({ pattern: listing.templatePatterns[i]!, serverId: source.serverId });
    });
  }
  return catalog;
}
