/** Generated tool lists of realistic shape, for token and search tests. */
import type { Tool } from '@only1mcp/mcp-types';

const SERVERS = ['github', 'slack', 'postgres', 'filesystem', 'jira', 'linear', 'notion', 'sentry'];
const VERBS = ['list', 'get', 'create', 'update', 'delete', 'search'];
const NOUNS = ['issues', 'comments', 'files', 'messages', 'tables', 'pages', 'users', 'events'];

/** `count` tools like a FastMCP server publishes them (pydantic titles, examples, long docstrings). */
export function generateTools(count: number): Tool[] {
  return Array.from({ length: count }, (_, i): Tool => {
    const verb = VERBS[i % VERBS.length]!;
    const noun = NOUNS[Math.floor(i / VERBS.length) % NOUNS.length]!;
    const name = `${SERVERS[i % SERVERS.length]}__${verb}_${noun}_${i}`;
    return {
      name,
      description:
        `${verb[0]!.toUpperCase()}${verb.slice(1)} ${noun} in the connected workspace. ` +
        'Use this when the user asks about recent activity; results are paginated and sorted by update time. ' +
        'Requires the token to have read access. Returns JSON with ids, titles, URLs and timestamps.',
      inputSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        title: `${name}Arguments`,
        properties: {
          query: { type: 'string', title: 'Query', description: 'Free-text filter.', examples: ['is:open'] },
          max_results: { type: 'integer', title: 'Max Results', minimum: 1, maximum: 100, default: 20 },
          cursor: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Cursor' },
          sort: { type: 'string', enum: ['created', 'updated'], title: 'Sort', $comment: 'server default: updated' },
        },
        required: ['query'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: verb === 'list' || verb === 'get' || verb === 'search' },
    };
  });
}
