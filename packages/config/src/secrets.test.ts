import { ConfigSchema } from './schema';
import { configSecrets } from './secrets';

describe('configSecrets', () => {
  it('collects env and header values, the Redis password and the secrets, longest first', () => {
    const config = ConfigSchema.parse({
      servers: [
        { id: 'gh', transport: 'stdio', command: 'gh-mcp', env: { GITHUB_TOKEN: 'ghp_abcdef', DEBUG: '1' } },
        { id: 'web', transport: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer xyz123' } },
      ],
      redis: { url: 'redis://:p%40ss-word@redis:6379' },
      server: { request_state_secret: 'x'.repeat(40) },
    });
    expect(configSecrets(config)).toEqual(['x'.repeat(40), 'Bearer xyz123', 'ghp_abcdef', 'p@ss-word']);
  });
});
