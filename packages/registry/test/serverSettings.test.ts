import { ConfigSchema } from '@only1mcp/config';
import { Registry, silentLogger } from '../src';

describe('Registry.serverSettings', () => {
  it('is the settings in force of a configured server, and undefined for any other id or none', () => {
    const config = ConfigSchema.parse({
      servers: [
        { id: 'a', transport: 'stdio', command: 'x' },
        { id: 'b', transport: 'stdio', command: 'x', connection: { mode: 'per_session' } },
      ],
    });
    const registry = new Registry(config, { logger: silentLogger });
    expect(registry.serverSettings('a')).toBe(config.servers[0]);
    expect(registry.serverSettings('b')?.connection.mode).toBe('per_session');
    expect(registry.serverSettings('nope')).toBeUndefined();
    expect(registry.serverSettings(undefined)).toBeUndefined();
  });
});
