/**
 * `tools/list` and `tools/call` as a client's context profile and the result cache shape them
 * (issue 7/8): the list is what the client may use (roles), filtered and compacted by its
 * profile, or three meta-tools when the profile loads tools lazily; the tokens this saves are
 * counted. A call of a meta-tool searches, describes or calls from the client's own view of the
 * catalogue; any other call goes through the cache when its tool is cacheable.
 */
import {
  CALL_TOOL_NAME,
  DESCRIBE_TOOL_NAME,
  SEARCH_LIMIT,
  SEARCH_TOOLS_NAME,
  createToolNameFilter,
  describeTool,
  isMetaToolName,
  searchTools,
} from '@only1mcp/context';
import { GatewayError, type Tool } from '@only1mcp/mcp-types';
import type { GatewayMetrics } from '@only1mcp/metrics';
import type { RateLimiter } from '@only1mcp/ratelimit';
import type { Registry } from '@only1mcp/registry';
import { checkAccess, targetOf, visibleItems, type AccessControl } from './accessControl';
import { chooseProfile, lazyCatalogue, ProfileLists, SavingsCounter, type ContextProfile } from './contextProfiles';
import type { CallContext } from './createMcpServer';
import type { ResultCache } from './resultCache';

type Result = Record<string, unknown>;

/** One memo for every session and request: a catalogue's savings per view are counted once. */
const savings = new SavingsCounter();

/** One for every session and request: each profile's list of each catalogue is built once. */
const profileLists = new ProfileLists();

/** What the tool methods need. */
export interface ToolMethodDeps {
  registry: Registry;
  access?: AccessControl;
  metrics?: GatewayMetrics;
  resultCache?: ResultCache;
  perServerLimit?: () => RateLimiter | undefined;
}

const text = (value: unknown, isError = false): Result => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }],
  ...(isError ? { isError: true } : {}),
});

/** Builds the two handlers (one pair per SDK server: per session, or per stateless request). */
export function createToolMethods(deps: ToolMethodDeps): {
  /** Every tool the client is sent (all pages); the list handler pages it. */
  listTools(ctx: CallContext, firstPage: boolean): readonly Tool[];
  callTool(params: Result, ctx: CallContext): Promise<Result>;
} {
  const { registry, access } = deps;
  const original = (name: string) => registry.catalog.toolOwners.get(name)?.name;
  const profileOf = (ctx: CallContext): ContextProfile | undefined =>
    chooseProfile(registry.settings.context, ctx.profile, ctx.principal?.roles);
  const visible = (ctx: CallContext) =>
    visibleItems(registry, 'tools', registry.catalog.tools as Tool[], access, ctx.principal);

  const routed = async (params: Result, ctx: CallContext): Promise<Result> => {
    const call = () => registry.callTool(params, ctx);
    return deps.resultCache ? deps.resultCache.callTool(params, ctx.principal, call) : call();
  };

  return {
    listTools(ctx, firstPage) {
      const catalog = registry.catalog;
      const profile = profileOf(ctx);
      const profiled = profileLists.get(catalog, registry.settings, profile, original);
      // Roles last, per client (their policy can change on reload without a new catalogue). Filtering
      // the profile's list is filtering the catalogue's: compaction keeps names. The meta-tools of a
      // lazy profile are the gateway's own, listed to whoever lists (what they reach is checked).
      const sent = profile?.lazy_tools ? profiled : visibleItems(registry, 'tools', profiled, access, ctx.principal);
      // Counted once per complete listing (its first page): the saving of a client that reads the list.
      if (firstPage && profile && deps.metrics) {
        const view = `${profile.name}|${[...(ctx.principal?.roles ?? [])].sort().join(',')}`;
        deps.metrics.addTokensSaved(savings.saved(catalog, view, () => visible(ctx), sent));
      }
      return sent;
    },

    async callTool(params, ctx) {
      const name = String(params.name);
      if (!isMetaToolName(name)) return routed(params, ctx);
      const profile = profileOf(ctx) ?? {
        name: '',
        allow: [],
        deny: [],
        compact_schemas: false,
        lazy_tools: true,
        roles: [],
      };
      const catalogue = lazyCatalogue(visible(ctx), profile, original);
      const args = (params.arguments ?? {}) as Result;
      if (name === SEARCH_TOOLS_NAME) {
        const limit = Math.min(SEARCH_LIMIT.max, Math.max(1, Number(args.limit ?? SEARCH_LIMIT.default) || 1));
        return text(searchTools(catalogue, String(args.query ?? ''), limit));
      }
      if (name === DESCRIBE_TOOL_NAME) {
        const tool = describeTool(catalogue, String(args.name ?? ''), {
          maxDescriptionLength: profile.max_description_length,
        });
        return tool ? text(tool) : text(`Unknown tool: ${String(args.name)} (search with ${SEARCH_TOOLS_NAME})`, true);
      }
      if (name === CALL_TOOL_NAME) {
        const target = String(args.name ?? '');
        const inProfile = createToolNameFilter({
          allow: profile.allow.length > 0 ? profile.allow : undefined,
          deny: profile.deny,
        });
        if (isMetaToolName(target) || !inProfile(target))
          throw new GatewayError('InvalidParams', `Unknown tool: ${target}`, {
            expose: true,
            context: { name: target },
          });
        const inner = { name: target, arguments: (args.arguments ?? {}) as Result };
        await checkAccess(targetOf(registry, 'tools/call', inner), ctx.principal, access, deps.perServerLimit?.());
        return routed(inner, ctx);
      }
      throw new GatewayError('InvalidParams', `Unknown tool: ${name}`, { expose: true, context: { name } });
    },
  };
}
