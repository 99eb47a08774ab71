import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  ConfigError,
  ConfigSchema,
  TEMPLATE_NAMES,
  configJsonSchema,
  importMcpServers,
  loadConfig,
  readTemplate,
  templatePath,
} from '../src';
import { tempDir } from './helpers';

const templateEnv = { JWT_SECRET: 'x'.repeat(32), GITHUB_TOKEN: 'token' };

describe('templates', () => {
  it.each(TEMPLATE_NAMES)('%s validates', (name) => {
    const { config } = loadConfig({ path: templatePath(name), env: templateEnv });
    expect(config.servers.length).toBeGreaterThan(0);
  });

  it('solo needs no Redis, no auth and no environment', () => {
    const { config } = loadConfig({ path: templatePath('solo'), env: {} });
    expect(config.redis).toBeUndefined();
    expect(config.auth).toBeUndefined();
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('team has Redis, replicas and auth', () => {
    const { config } = loadConfig({ path: templatePath('team'), env: templateEnv });
    expect(config.redis?.url).toBe('redis://localhost:6379');
    expect(config.auth?.api_keys.length).toBeGreaterThan(0);
    expect(config.servers.some((s) => s.transport === 'stdio' && s.replicas > 1)).toBe(true);
  });

  it('enterprise sets every top-level section', () => {
    const raw = parseYaml(readFileSync(templatePath('enterprise'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(configJsonSchema().properties as object).sort());
  });

  it('rejects an unknown template name', () => {
    expect(() => readTemplate('huge')).toThrow(ConfigError);
  });
});

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as {
    properties: Record<string, { properties?: Record<string, { default?: unknown }> }>;
    additionalProperties: boolean;
    required: string[];
  };

  it('describes every section and rejects unknown keys', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['servers']);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['server', 'servers', 'routing', 'cache', 'auth', 'redis']),
    );
  });

  it('shows defaults as people write them', () => {
    expect(schema.properties.server!.properties!.port!.default).toBe(8080);
    expect(schema.properties.server!.properties!.max_body_size!.default).toBe('4MB');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('importMcpServers', () => {
  const claude = {
    mcpServers: {
      filesystem: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'],
        env: { LOG: 'info' },
      },
      'GitHub Tools': {
        command: 'docker',
        args: ['run', 'gh'],
        env: { TOKEN: '${input:github_token}' },
        alwaysAllow: ['x'],
        disabled: true,
      },
      remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${env:API_TOKEN}' } },
      legacy: { url: 'https://old.example.com/sse' },
      typed: { type: 'sse', url: 'https://typed.example.com/events' },
      broken: { description: 'no command' },
    },
  };

  it('converts stdio, http and sse entries into a valid configuration', () => {
    const result = importMcpServers(JSON.stringify(claude), 'claude_desktop_config.json');
    const dir = tempDir({ 'imported.yaml': result.yaml });
    const { config } = loadConfig({ path: join(dir, 'imported.yaml'), env: { GITHUB_TOKEN: 't', API_TOKEN: 'a' } });
    const byId = Object.fromEntries(config.servers.map((s) => [s.id, s]));
    expect(byId.filesystem).toMatchObject({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'],
      env: { LOG: 'info' },
    });
    expect(byId['github-tools']).toMatchObject({ name: 'GitHub Tools', enabled: false, env: { TOKEN: 't' } });
    expect(byId.remote).toMatchObject({
      transport: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer a' },
    });
    expect(byId.legacy).toMatchObject({ transport: 'sse' });
    expect(byId.typed).toMatchObject({ transport: 'sse' });
    expect(byId.broken).toBeUndefined();
  });

  it('says what it could not carry over', () => {
    const { warnings } = importMcpServers(JSON.stringify(claude), 'c.json');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"GitHub Tools": renamed to id "github-tools"/),
        expect.stringMatching(/"GitHub Tools": "alwaysAllow" has no Only1MCP equivalent/),
        expect.stringMatching(/"GitHub Tools": was disabled/),
        expect.stringMatching(/"GitHub Tools": uses \$\{input:...\}/),
        expect.stringMatching(/"broken": skipped/),
      ]),
    );
  });

  it('reads VS Code "servers" files', () => {
    const vscode = {
      inputs: [{ id: 'tok', type: 'promptString' }],
      servers: { gh: { type: 'http', url: 'https://api.example.com/mcp' } },
    };
    const result = importMcpServers(JSON.stringify(vscode), 'mcp.json');
    expect(ConfigSchema.safeParse(parseYaml(result.yaml)).success).toBe(true);
    expect(result.warnings[0]).toMatch(/"inputs"/);
  });

  it('keeps ids unique', () => {
    const result = importMcpServers(
      JSON.stringify({ mcpServers: { 'A B': { command: 'x' }, 'a-b': { command: 'y' } } }),
      'c.json',
    );
    const ids = (parseYaml(result.yaml) as { servers: { id: string }[] }).servers.map((s) => s.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('rejects files that are not client configurations', () => {
    expect(() => importMcpServers('{not json', 'c.json')).toThrow(/Cannot parse c\.json/);
    expect(() => importMcpServers('{"other": {}}', 'c.json')).toThrow(/no "mcpServers"/);
    expect(() => importMcpServers('{"mcpServers": {"x": {}}}', 'c.json')).toThrow(/defines no server/);
  });
});
