/**
 * Context optimization (issue 7/8): what each client is sent of the tool catalogue. A profile
 * (`context.profiles`) filters tools by glob, compacts their schemas, caps descriptions, or
 * replaces the whole list with three meta-tools (lazy loading). A client names its profile with
 * `?profile=NAME` on the MCP URL; otherwise the first profile listing one of its roles applies,
 * then `context.default_profile`, else the full catalogue. Savings are counted with a real
 * tokenizer against the unoptimized list the client would otherwise have received.
 */
import type { Config } from '@only1mcp/config';
import { META_TOOLS, compactTool, countTokens, filterTools } from '@only1mcp/context';
import type { Tool } from '@only1mcp/mcp-types';
import type { Catalog } from '@only1mcp/registry';

/** A profile's settings with its name. */
export type ContextProfile = Config['context']['profiles'][string] & { name: string };

/** The profile a client gets: the one it asked for, else the first its roles select, else the default. */
export function chooseProfile(
  context: Config['context'],
  requested: string | undefined,
  roles: readonly string[] = [],
): ContextProfile | undefined {
  const profiles = context.profiles;
  if (requested !== undefined && Object.hasOwn(profiles, requested))
    return { ...profiles[requested]!, name: requested };
  for (const [name, profile] of Object.entries(profiles))
    if (profile.roles.some((role) => roles.includes(role))) return { ...profile, name };
  const fallback = context.default_profile;
  return fallback !== undefined && Object.hasOwn(profiles, fallback)
    ? { ...profiles[fallback]!, name: fallback }
    : undefined;
}

/** Compacted tools are computed once per tool object and settings (the catalogue keeps its objects until it changes). */
const compacted = new WeakMap<object, Map<string, Tool>>();

/** A public tool name back to the backend's own (titles that repeat it are compared with that). */
export type OriginalName = (publicName: string) => string | undefined;

function compactOnce(tool: Tool, maxDescriptionLength: number | undefined, original: OriginalName): Tool {
  const key = String(maxDescriptionLength ?? '');
  let byOptions = compacted.get(tool);
  if (!byOptions) compacted.set(tool, (byOptions = new Map()));
  let result = byOptions.get(key);
  if (!result) {
    const own = original(tool.name) ?? tool.name;
    result = { ...compactTool({ ...tool, name: own }, { maxDescriptionLength }), name: tool.name };
    byOptions.set(key, result);
  }
  return result;
}

/** The tools a profile sends, from the tools the client may use. */
export function profileTools(
  tools: readonly Tool[],
  profile: ContextProfile | undefined,
  original: OriginalName = () => undefined,
): readonly Tool[] {
  if (!profile) return tools;
  if (profile.lazy_tools) return META_TOOLS;
  const kept =
    profile.allow.length > 0 || profile.deny.length > 0
      ? filterTools(tools, { allow: profile.allow.length > 0 ? profile.allow : undefined, deny: profile.deny })
      : tools;
  if (!profile.compact_schemas && profile.max_description_length === undefined) return kept;
  return kept.map((tool) => {
    const short = compactOnce(tool, profile.max_description_length, original);
    return profile.compact_schemas ? short : { ...tool, description: short.description };
  });
}

/**
 * What each profile sends of each catalogue, built once for all its clients: filtering and
 * compacting 1,000 tools is otherwise done again for every `tools/list`. Nothing built from an
 * old list is served after a change: the registry replaces its catalogue object whenever a
 * backend's lists change or the configuration is reloaded, and a reload replaces the settings the
 * profiles come from, so a list is kept only for the catalogue and the settings it was built from.
 * What a client may use (roles) is not part of it: that is applied per client, after.
 */
export class ProfileLists {
  private readonly built = new WeakMap<Catalog, Map<string, { settings: object; tools: readonly Tool[] }>>();

  /** The tools `profile` (from `settings`) sends of `catalog`; without a profile, the catalogue's own list. */
  get(
    catalog: Catalog,
    settings: object,
    profile: ContextProfile | undefined,
    original: OriginalName,
  ): readonly Tool[] {
    if (!profile) return catalog.tools;
    let byProfile = this.built.get(catalog);
    if (!byProfile) this.built.set(catalog, (byProfile = new Map()));
    const kept = byProfile.get(profile.name);
    if (kept?.settings === settings) return kept.tools;
    // Bounded by the profiles of the settings: one entry per profile name, replaced on reload.
    const tools = profileTools(catalog.tools, profile, original);
    byProfile.set(profile.name, { settings, tools });
    return tools;
  }
}

/** The tools of a lazy profile's search and describe: what the profile would list without lazy loading. */
export function lazyCatalogue(
  tools: readonly Tool[],
  profile: ContextProfile,
  original: OriginalName = () => undefined,
): readonly Tool[] {
  return profileTools(tools, { ...profile, lazy_tools: false }, original);
}

/**
 * Tokens saved by one complete tool listing: the unoptimized list against what the profile sends.
 * Counting 300 schemas takes milliseconds, so it is computed once per catalogue, profile and view.
 */
export class SavingsCounter {
  private readonly memo = new WeakMap<object, Map<string, number>>();

  /** Tokens saved when `sent` goes out instead of `full()` (built only when not memoized); `catalog` and `view` identify the pair. */
  saved(catalog: object, view: string, full: () => readonly Tool[], sent: readonly Tool[]): number {
    let byView = this.memo.get(catalog);
    if (!byView) this.memo.set(catalog, (byView = new Map()));
    let saved = byView.get(view);
    if (saved === undefined) {
      const unoptimized = full();
      saved = unoptimized === sent ? 0 : Math.max(0, countTokens(unoptimized) - countTokens(sent));
      // Bounded: a view is a profile plus a role set, few per catalogue.
      if (byView.size < 1_000) byView.set(view, saved);
    }
    return saved;
  }
}
