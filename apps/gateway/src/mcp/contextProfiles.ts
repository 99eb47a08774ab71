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

  /** Tokens saved when `sent` goes out instead of `full`; `catalog` and `view` identify the pair for the memo. */
  saved(catalog: object, view: string, full: readonly Tool[], sent: readonly Tool[]): number {
    let byView = this.memo.get(catalog);
    if (!byView) this.memo.set(catalog, (byView = new Map()));
    let saved = byView.get(view);
    if (saved === undefined) {
      saved = full === sent ? 0 : Math.max(0, countTokens(full) - countTokens(sent));
      // Bounded: a view is a profile plus a role set, few per catalogue.
      if (byView.size < 1_000) byView.set(view, saved);
    }
    return saved;
  }
}
