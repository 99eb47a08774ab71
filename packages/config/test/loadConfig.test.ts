import { join } from 'node:path';
import { ConfigError, configSearchPath, loadConfig, type ConfigIssue } from '../src';
import { MINIMAL_YAML, tempDir } from './helpers';

/** Loads `text` as `name` and returns the problems (fails the test if it loads). */
function problems(text: string, name = 'only1mcp.yaml', env: Record<string, string> = {}): ConfigIssue[] {
  const dir = tempDir({ [name]: text });
  try {
    loadConfig({ path: join(dir, name), env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected the configuration to be rejected');
}

const noEnv = {};

describe('loadConfig: formats', () => {
  const yaml = 'server:\n  port: 9000\nservers:\n  - id: a\n    transport: http\n    url: http://localhost:3000/mcp\n';
  const toml =
    '[server]\nport = 9000\n\n[[servers]]\nid = "a"\ntransport = "http"\nurl = "http://localhost:3000/mcp"\n';
  const json = JSON.stringify({
    server: { port: 9000 },
    servers: [{ id: 'a', transport: 'http', url: 'http://localhost:3000/mcp' }],
  });

  it.each([
    ['only1mcp.yaml', yaml],
    ['only1mcp.yml', yaml],
    ['only1mcp.toml', toml],
    ['only1mcp.json', json],
  ])('reads %s', (name, text) => {
    const dir = tempDir({ [name]: text });
    const { config, file } = loadConfig({ path: join(dir, name), env: noEnv });
    expect(file).toBe(join(dir, name));
    expect(config.server.port).toBe(9000);
    expect(config.servers[0]).toMatchObject({ id: 'a', transport: 'http', url: 'http://localhost:3000/mcp' });
  });

  it('fills in every default', () => {
    const dir = tempDir({ 'c.yaml': MINIMAL_YAML });
    const { config } = loadConfig({ path: join(dir, 'c.yaml'), env: noEnv });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      allowed_hosts: [],
      allowed_origins: [],
      max_body_size: 4_000_000,
      shutdown_timeout: 10_000,
      session_idle_timeout: 1_800_000,
      session_hibernate_after: 60_000,
      session_hibernate_after_handshake: 200,
      allow_unauthenticated: false,
      headers_timeout: 10_000,
      request_timeout: 30_000,
      max_streams_per_client: 16,
    });
    expect(config.routing).toEqual({ algorithm: 'round_robin', separator: '__', page_size: 100 });
    expect(config.health).toEqual({
      enabled: true,
      interval: 10_000,
      timeout: 5_000,
      unhealthy_threshold: 3,
      healthy_threshold: 2,
    });
    expect(config.servers[0]).toMatchObject({
      args: [],
      env: {},
      replicas: 1,
      enabled: true,
      connect_timeout: 10_000,
      request_timeout: 60_000,
    });
    expect(config.redis).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('accepts durations and sizes as strings or plain numbers', () => {
    const dir = tempDir({
      'c.yaml': `server:\n  max_body_size: 10MB\n  shutdown_timeout: 2500\n${MINIMAL_YAML}    request_timeout: 1.5m\n`,
    });
    const { config } = loadConfig({ path: join(dir, 'c.yaml'), env: noEnv });
    expect(config.server.max_body_size).toBe(10_000_000);
    expect(config.server.shutdown_timeout).toBe(2500);
    expect(config.servers[0]!.request_timeout).toBe(90_000);
  });

  it('rejects a file name it cannot read by extension', () => {
    const dir = tempDir({ 'c.ini': 'x=1' });
    expect(() => loadConfig({ path: join(dir, 'c.ini'), env: noEnv })).toThrow(
      /must end in \.yaml, \.yml, \.toml or \.json/,
    );
  });

  it('treats an empty file as having no servers', () => {
    expect(problems('')).toEqual([expect.objectContaining({ path: 'servers', message: 'is required' })]);
  });

  it('rejects a file whose top level is not a mapping', () => {
    expect(problems('- a\n- b\n')[0]!.message).toMatch(/must hold a mapping of settings, got a list/);
  });
});

describe('loadConfig: syntax errors carry line and column', () => {
  it('YAML', () => {
    const [issue] = problems('servers:\n  - id: a\n    transport: [stdio\n');
    expect(issue).toMatchObject({ path: '', line: expect.any(Number), column: expect.any(Number) });
    expect(issue!.message).toMatch(/^YAML syntax error/);
  });

  it('YAML duplicate keys', () => {
    expect(problems('server:\n  port: 1\n  port: 2\nservers: []\n')[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/YAML syntax error: Map keys must be unique/),
    });
  });

  it('TOML', () => {
    expect(problems('[server]\nport = \n', 'c.toml')[0]).toMatchObject({
      line: 2,
      column: 8,
      message: expect.stringMatching(/^TOML syntax error/),
    });
  });

  it('JSON duplicate keys, each with its key path (JSON.parse alone would keep the last)', () => {
    const text = [
      '{',
      '  "server": {"port": 1, "port": 2},',
      '  "servers": [{"id": "a", "transport": "stdio", "id": "b"}]',
      '}',
    ];
    expect(problems(text.join('\n'), 'c.json')).toEqual([
      expect.objectContaining({
        path: 'server.port',
        line: 2,
        column: 25,
        message: expect.stringMatching(/written twice/),
      }),
      expect.objectContaining({ path: 'servers[0].id', line: 3, message: expect.stringMatching(/written twice/) }),
    ]);
  });

  it('JSON keys that look alike are not duplicates (a key inside a string, spacing, escapes)', () => {
    const server = { id: 'a', transport: 'stdio', command: 'x', args: ['"id": "b"', '\\"id\\":'] };
    const text = JSON.stringify({ servers: [server] }, null, 2).replace('"id":', '"id"  \n  :');
    const dir = tempDir({ 'c.json': text });
    expect(loadConfig({ path: join(dir, 'c.json'), env: noEnv }).config.servers[0]).toMatchObject({
      args: server.args,
    });
    expect(problems('{"servers": [], "serv\\u0065rs": 1}', 'c.json')).toEqual([
      expect.objectContaining({ path: 'servers', message: expect.stringMatching(/written twice/) }),
    ]);
  });

  it('JSON', () => {
    expect(problems('{\n  "server": {"port": 1,}\n}', 'c.json')[0]).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^JSON syntax error/),
    });
  });
});

describe('loadConfig: validation reports every problem with file, key path and plain words', () => {
  const bad = [
    'server:',
    '  port: 0',
    '  hots: example.com',
    'servers:',
    '  - id: Files',
    '    transport: stdio',
    '  - id: web',
    '    transport: http',
    '    url: ftp://example.com',
    '  - id: web',
    '    transport: carrier-pigeon',
    '  - id: remote',
    '    transport: sse',
    '  - id: t',
    '    transport: stdio',
    '    command: node',
    '    url: http://example.com',
    '',
  ].join('\n');

  it('finds them all at once', () => {
    const dir = tempDir({ 'bad.yaml': bad });
    let err: ConfigError | undefined;
    try {
      loadConfig({ path: join(dir, 'bad.yaml'), env: noEnv });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const byPath = Object.fromEntries(err!.issues.map((i) => [i.path, i]));
    expect(byPath['server.port']).toMatchObject({ line: 2, message: 'must be between 1 and 65535' });
    expect(err!.issues.find((i) => i.message === 'unknown key "hots"')).toMatchObject({ path: 'server', line: 3 });
    expect(err!.issues.filter((i) => i.path === 'servers[0].id')[0]!.message).toMatch(/"Files" is not a valid id/);
    expect(byPath['servers[0].command']).toMatchObject({ message: 'is required' });
    expect(byPath['servers[1].url']).toMatchObject({ line: 9, message: 'must be an absolute http:// or https:// URL' });
    expect(byPath['servers[2].id']!.message).toBe('duplicate id "web" (also used by servers[1])');
    expect(byPath['servers[2].transport']).toMatchObject({
      line: 11,
      message: 'unknown transport "carrier-pigeon": must be one of stdio, http, sse',
    });
    expect(byPath['servers[3].url']!.message).toMatch(/a sse server needs "url"/);
    expect(err!.issues.find((i) => i.message === 'unknown key "url"')).toMatchObject({ path: 'servers[4]', line: 17 });
    for (const issue of err!.issues) expect(issue.source).toBe(join(dir, 'bad.yaml'));
    // The message a person reads names the file, the line and the key path; no stack trace.
    expect(err!.message).toContain(`${join(dir, 'bad.yaml')}:2:9 server.port: must be between 1 and 65535`);
    expect(err!.message).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['no servers', 'servers: []\n', 'servers', 'must list at least one backend server'],
    ['missing servers', 'server: {port: 80}\n', 'servers', 'is required'],
    ['port out of range', `server: {port: 70000}\n${MINIMAL_YAML}`, 'server.port', 'must be between 1 and 65535'],
    [
      'port not a number',
      `server: {port: eighty}\n${MINIMAL_YAML}`,
      'server.port',
      'must be a number, got the text "eighty"',
    ],
    [
      'missing transport',
      'servers:\n  - id: a\n    command: x\n',
      'servers[0].transport',
      '"transport" is required: one of stdio, http, sse',
    ],
    ['stdio without command', 'servers:\n  - id: a\n    transport: stdio\n', 'servers[0].command', 'is required'],
    [
      'http without url',
      'servers:\n  - id: a\n    transport: http\n',
      'servers[0].url',
      'a http server needs "url" (or "urls" for several replicas)',
    ],
    [
      'url and urls',
      'servers:\n  - id: a\n    transport: http\n    url: http://a\n    urls: [http://b]\n',
      'servers[0].urls',
      'give either "url" or "urls", not both',
    ],
    [
      'bad url in urls',
      'servers:\n  - id: a\n    transport: sse\n    urls: [http://ok, "not a url"]\n',
      'servers[0].urls[1]',
      'must be an absolute http:// or https:// URL',
    ],
    [
      'unknown algorithm',
      `routing: {algorithm: fastest}\n${MINIMAL_YAML}`,
      'routing.algorithm',
      'must be one of "round_robin", "least_connections", "random", "weighted", "consistent_hash", got the text "fastest"',
    ],
    ['unknown top-level key', `servres: []\n${MINIMAL_YAML}`, '', 'unknown key "servres"'],
    [
      'id with capitals',
      'servers:\n  - id: GitHub\n    transport: stdio\n    command: x\n',
      'servers[0].id',
      '"GitHub" is not a valid id: use 1 to 64 characters from a-z, 0-9, "_" and "-"',
    ],
    [
      'colliding prefixes',
      'servers:\n  - id: a\n    transport: stdio\n    command: x\n  - id: b\n    prefix: a\n    transport: stdio\n    command: y\n',
      'servers[1].prefix',
      'prefix "a" is already used by servers[0]; tool names would collide',
    ],
    [
      'replicas zero',
      'servers:\n  - id: a\n    transport: stdio\n    command: x\n    replicas: 0\n',
      'servers[0].replicas',
      'must be at least 1',
    ],
    [
      'bad key hash',
      `auth:\n  api_keys: [{client_id: a, key_hash: "md5:abc"}]\n${MINIMAL_YAML}`,
      'auth.api_keys[0].key_hash',
      'must be "sha256:" followed by 64 lower-case hex digits (only1mcp auth hash-key prints one)',
    ],
    [
      'undefined role',
      `auth:\n  api_keys: [{client_id: a, key_hash: "sha256:${'a'.repeat(64)}", roles: [writer]}]\n${MINIMAL_YAML}`,
      'auth.api_keys[0].roles',
      'role "writer" is not defined under auth.roles',
    ],
    [
      'jwt without key source',
      `auth:\n  jwt: {audience: x}\n${MINIMAL_YAML}`,
      'auth.jwt',
      'needs either "secret" (HS256) or "jwks_url"',
    ],
    [
      'redis url scheme',
      `redis: {url: "http://localhost:6379"}\n${MINIMAL_YAML}`,
      'redis.url',
      'must start with redis:// or rediss://',
    ],
  ])('%s', (_name, text, path, message) => {
    expect(problems(text)).toContainEqual(expect.objectContaining({ path, message }));
  });

  it('allows several servers with prefix "" (their conflicts are resolved at run time)', () => {
    const dir = tempDir({
      'c.yaml':
        'servers:\n  - {id: a, prefix: "", transport: stdio, command: x}\n  - {id: b, prefix: "", transport: stdio, command: y}\n',
    });
    expect(loadConfig({ path: join(dir, 'c.yaml'), env: noEnv }).config.servers).toHaveLength(2);
  });
});

describe('loadConfig: environment', () => {
  it('interpolates ${VAR} and ${VAR:-default}, and $${VAR} stays literal', () => {
    const dir = tempDir({
      'c.yaml':
        'servers:\n  - id: a\n    transport: http\n    url: ${URL}\n    headers:\n      Authorization: Bearer ${TOKEN}\n      X-Region: ${REGION:-eu}\n      X-Literal: $${NOT_ME}\n',
    });
    const { config } = loadConfig({
      path: join(dir, 'c.yaml'),
      env: { URL: 'https://x.example/mcp', TOKEN: 's3cret' },
    });
    const server = config.servers[0]!;
    expect(server.transport === 'http' && server.url).toBe('https://x.example/mcp');
    expect(server.transport === 'http' && server.headers).toEqual({
      Authorization: 'Bearer s3cret',
      'X-Region': 'eu',
      'X-Literal': '${NOT_ME}',
    });
  });

  it('reports a variable that is not set, with its key path and line', () => {
    expect(
      problems('servers:\n  - id: a\n    transport: stdio\n    command: x\n    env:\n      TOKEN: ${GITHUB_TOKEN}\n'),
    ).toEqual([
      expect.objectContaining({
        path: 'servers[0].env.TOKEN',
        line: 6,
        message: expect.stringMatching(/environment variable GITHUB_TOKEN is not set/),
      }),
    ]);
  });

  it('applies ONLY1MCP_ overrides with __ for nesting, typed as YAML scalars', () => {
    const dir = tempDir({ 'c.yaml': MINIMAL_YAML });
    const { config } = loadConfig({
      path: join(dir, 'c.yaml'),
      env: {
        ONLY1MCP_SERVER__PORT: '9000',
        ONLY1MCP_SERVER__HOST: '0.0.0.0',
        ONLY1MCP_SERVERS__0__REPLICAS: '3',
        ONLY1MCP_SERVERS__0__ARGS: '[--verbose, "x y"]',
        ONLY1MCP_HEALTH__ENABLED: 'false',
        ONLY1MCP_REDIS__URL: 'redis://cache:6379',
        ONLY1MCP_CONFIG: join(dir, 'c.yaml'),
      },
    });
    expect(config.server).toMatchObject({ port: 9000, host: '0.0.0.0' });
    expect(config.servers[0]).toMatchObject({ replicas: 3, args: ['--verbose', 'x y'] });
    expect(config.health.enabled).toBe(false);
    expect(config.redis?.url).toBe('redis://cache:6379');
  });

  it('names the variable when an override is invalid', () => {
    expect(problems(MINIMAL_YAML, 'c.yaml', { ONLY1MCP_SERVER__PORT: 'abc' })).toEqual([
      {
        source: 'environment variable ONLY1MCP_SERVER__PORT',
        path: 'server.port',
        message: 'must be a number, got the text "abc"',
      },
    ]);
    expect(problems(MINIMAL_YAML, 'c.yaml', { ONLY1MCP_SERVR__PORT: '1' })).toEqual([
      expect.objectContaining({ message: 'unknown key "servr"' }),
    ]);
  });

  it('lets explicit overrides (start --port) win over the file and the environment', () => {
    const dir = tempDir({ 'c.yaml': `server: {port: 1000}\n${MINIMAL_YAML}` });
    const { config } = loadConfig({
      path: join(dir, 'c.yaml'),
      env: { ONLY1MCP_SERVER__PORT: '2000' },
      overrides: { server: { port: 3000 } },
    });
    expect(config.server.port).toBe(3000);
  });
});

describe('loadConfig: discovery', () => {
  it('searches $ONLY1MCP_CONFIG, ./only1mcp.yaml, ./only1mcp.toml, ~/.only1mcp/config.yaml, /etc/only1mcp/config.yaml in order', () => {
    expect(configSearchPath({ env: { ONLY1MCP_CONFIG: 'x.yaml' }, cwd: '/w', homeDir: '/h' })).toEqual([
      '/w/x.yaml',
      '/w/only1mcp.yaml',
      '/w/only1mcp.toml',
      '/h/.only1mcp/config.yaml',
      '/etc/only1mcp/config.yaml',
    ]);
  });

  it('prefers ./only1mcp.yaml over ./only1mcp.toml over the home folder', () => {
    const home = tempDir({ '.only1mcp/config.yaml': MINIMAL_YAML });
    const cwd = tempDir({ 'only1mcp.toml': '[[servers]]\nid = "t"\ntransport = "stdio"\ncommand = "x"\n' });
    expect(loadConfig({ cwd, homeDir: home, env: noEnv }).file).toBe(join(cwd, 'only1mcp.toml'));
    const cwd2 = tempDir({ 'only1mcp.yaml': MINIMAL_YAML, 'only1mcp.toml': '' });
    expect(loadConfig({ cwd: cwd2, homeDir: home, env: noEnv }).file).toBe(join(cwd2, 'only1mcp.yaml'));
    expect(loadConfig({ cwd: tempDir(), homeDir: home, env: noEnv }).file).toBe(join(home, '.only1mcp', 'config.yaml'));
  });

  it('uses $ONLY1MCP_CONFIG first, relative to the working directory', () => {
    const cwd = tempDir({ 'only1mcp.yaml': MINIMAL_YAML, 'conf/team.yaml': MINIMAL_YAML });
    expect(loadConfig({ cwd, homeDir: tempDir(), env: { ONLY1MCP_CONFIG: 'conf/team.yaml' } }).file).toBe(
      join(cwd, 'conf', 'team.yaml'),
    );
  });

  it('does not fall back when $ONLY1MCP_CONFIG names a missing file', () => {
    const cwd = tempDir({ 'only1mcp.yaml': MINIMAL_YAML });
    expect(() => loadConfig({ cwd, env: { ONLY1MCP_CONFIG: 'missing.yaml' } })).toThrow(
      /not found: .*missing\.yaml \(named by ONLY1MCP_CONFIG\)/,
    );
  });

  it('lists every place it looked when nothing is found', () => {
    const cwd = tempDir();
    const home = tempDir();
    let message = '';
    try {
      loadConfig({ cwd, homeDir: home, env: noEnv });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^No configuration file found/);
    expect(message).toContain(join(cwd, 'only1mcp.yaml'));
    expect(message).toContain(join(cwd, 'only1mcp.toml'));
    expect(message).toContain(join(home, '.only1mcp', 'config.yaml'));
    expect(message).toContain('/etc/only1mcp/config.yaml');
  });

  it('reports a missing explicit path', () => {
    expect(() => loadConfig({ path: '/nonexistent/only1mcp.yaml', env: noEnv })).toThrow(
      'Configuration file not found: /nonexistent/only1mcp.yaml',
    );
  });
});
