/**
 * Authentication, access control, rate limits and the audit log (issue 6/8), with real SDK
 * clients over HTTP and a real stdio backend: API keys and HS256 JWTs, the 401 challenge and the
 * protected-resource metadata, per-role tool visibility and Forbidden, the admin role, a key
 * revoked by hot reload, a token that expires mid-session, sessions bound to their client, 429
 * with Retry-After, and what the audit log records.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { hashApiKey } from '@only1mcp/auth';
import { ConfigSchema, loadConfig } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, freePort, onFreePort, waitFor } from '@only1mcp/test-utils';
import { SignJWT, generateKeyPair } from 'jose';
import { startGateway, type RunningGateway } from '../src';

const READER_KEY = 'o1m_reader-key-0123456789';
const ADMIN_KEY = 'o1m_admin-key-0123456789';
const LIMITED_KEY = 'o1m_limited-key-0123456789';
const JWT_SECRET = 'j'.repeat(40);

let dir: string;
let file: string;
let auditFile: string;
let port: number;
let gateway: RunningGateway;
const clients: { close(): Promise<void> }[] = [];

function writeConfig(keys: { client_id: string; key: string; roles: string[] }[]): void {
  writeFileSync(
    file,
    JSON.stringify({
      server: { port },
      health: { enabled: false },
      servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) }],
      auth: {
        api_keys: keys.map(({ client_id, key, roles }) => ({ client_id, key_hash: hashApiKey(key), roles })),
        jwt: { secret: JWT_SECRET, audience: 'only1mcp', roles_claim: 'roles' },
        roles: {
          reader: { allow: ['fx__echo', 'fx__whoami', 'fx__fixture://*'] },
          admin: { allow: ['*'], admin: true },
        },
        authorization_servers: ['https://login.example.com/'],
      },
      rate_limit: { requests_per_second: 1000, burst: 1000, per_server: { requests_per_second: 0.5, burst: 3 } },
      audit: { enabled: true, file: auditFile },
    }),
  );
}

const KEYS = [
  { client_id: 'reader', key: READER_KEY, roles: ['reader'] },
  { client_id: 'ops', key: ADMIN_KEY, roles: ['admin'] },
  { client_id: 'limited', key: LIMITED_KEY, roles: ['admin'] },
];

async function connect(
  token: string,
  name = 'auth-test',
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

const jwt = (claims: Record<string, unknown>, expiresIn: string | number) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('only1mcp')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(JWT_SECRET));

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const auditLines = () =>
  readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-auth-'));
  file = join(dir, 'only1mcp.json');
  auditFile = join(dir, 'audit', 'audit.jsonl');
  gateway = await onFreePort((free) => {
    port = free;
    writeConfig(KEYS);
    return startGateway(loadConfig({ path: file }).config, silentLogger, { configFile: file, watchConfig: false });
  });
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it('answers 401 with a challenge pointing at the protected-resource metadata, which names the login server', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toContain('Bearer');
    expect(challenge).toContain(
      `resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32031);

    const wrong = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const metadata = (await (await fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({
      resource: `http://127.0.0.1:${port}/mcp`,
      authorization_servers: ['https://login.example.com/'],
      bearer_methods_supported: ['header'],
    });
  });

  it('shows a client only what its roles allow, and refuses the rest with Forbidden', async () => {
    const { client } = await connect(READER_KEY);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['fx__echo', 'fx__whoami']);
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['fixture://info']);
    await expect(client.callTool({ name: 'fx__slow', arguments: { ms: 1 } })).rejects.toThrow(/-32033|Not allowed/);
    const echoed = await client.callTool({ name: 'fx__echo', arguments: { message: 'allowed' } });
    expect((echoed as { content: { text: string }[] }).content[0]!.text).toBe('allowed');
    // The admin sees everything.
    const { client: admin } = await connect(ADMIN_KEY);
    expect((await admin.listTools()).tools.length).toBeGreaterThan(2);
  });

  it('accepts a JWT, also from a current-protocol (2026-07-28) client', async () => {
    const token = await jwt({ sub: 'alice', roles: ['reader'] }, '5m');
    const client = new ClientV2({ name: 'modern', version: '1.0.0' });
    await client.connect(
      new TransportV2(new URL(`${gateway.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['fx__echo', 'fx__whoami']);
  });

  it('refuses a token that expires in the middle of a session, saying it expired', async () => {
    const token = await jwt({ sub: 'bob', roles: ['reader'] }, Math.floor(Date.now() / 1000) + 2);
    const { client } = await connect(token);
    expect((await client.listTools()).tools.length).toBe(2);
    await new Promise((r) => setTimeout(r, 2_500 + 5_000)); // past exp and the 5 s clock tolerance
    await expect(client.listTools()).rejects.toThrow(/has expired/);
  }, 20_000);

  it('keeps a session to the client that opened it', async () => {
    const { transport } = await connect(READER_KEY);
    const asOther = await post(
      { jsonrpc: '2.0', id: 9, method: 'tools/list' },
      {
        authorization: `Bearer ${ADMIN_KEY}`,
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId!,
        'mcp-protocol-version': '2025-11-25',
      },
    );
    expect(asOther.status).toBe(404);
  });

  it('lets only the admin role use the admin API', async () => {
    const admin = (key?: string) =>
      fetch(`${gateway.url}/api/v1/admin/servers`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    expect((await admin()).status).toBe(401);
    expect((await admin(READER_KEY)).status).toBe(403);
    expect((await admin(ADMIN_KEY)).status).toBe(200);
  });

  it('stops accepting a key the moment a reload revokes it', async () => {
    const { client } = await connect(READER_KEY);
    await client.listTools();
    writeConfig(KEYS.filter((k) => k.client_id !== 'reader'));
    expect(await gateway.reload!('admin')).toMatchObject({ ok: true });
    await expect(client.listTools()).rejects.toThrow(/-32031/);
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${READER_KEY}` });
    expect(res.status).toBe(401);
    writeConfig(KEYS);
    await gateway.reload!('admin');
  });
});

describe('rate limits', () => {
  it('refuses a client over its per-server limit with RateLimited, and counts it', async () => {
    const { client } = await connect(LIMITED_KEY);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(
        await client.callTool({ name: 'fx__echo', arguments: { message: String(i) } }).then(
          () => 'ok',
          (err: Error) => (/-32029|Rate limit/.test(err.message) ? 'limited' : err.message),
        ),
      );
    expect(outcomes.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(outcomes.slice(3)).toEqual(['limited', 'limited']);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/only1mcp_requests_total\{method="tools\/call",status="RateLimited"\} 2/);
  });

  it('answers 429 with Retry-After when a client is over its own limit', async () => {
    writeConfig(KEYS);
    const config = JSON.parse(readFileSync(file, 'utf8')) as { rate_limit: Record<string, unknown> };
    config.rate_limit = { requests_per_second: 0.2, burst: 2 };
    writeFileSync(file, JSON.stringify(config));
    expect(await gateway.reload!('admin')).toMatchObject({ ok: true });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post({ jsonrpc: '2.0', id: i, method: 'tools/list' }, { authorization: `Bearer ${ADMIN_KEY}` });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32029);
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^only1mcp_rate_limit_exceeded_total\{client_id="ops"\} 2$/m);
    writeConfig(KEYS);
    await gateway.reload!('admin');
  });
});

describe('audit log', () => {
  it('records calls with a hash of their arguments, denials, rate limits, refusals and admin actions', async () => {
    const wanted: Record<string, unknown>[] = [
      { action: 'tools/call', clientId: 'reader', target: 'fx__echo', outcome: 'ok' },
      { action: 'tools/call', clientId: 'reader', target: 'fx__slow', outcome: 'denied' },
      { action: 'tools/call', clientId: 'limited', outcome: 'rate_limited' },
      { action: 'http', outcome: 'unauthenticated' },
      { action: 'http', clientId: 'ops', outcome: 'rate_limited' },
      { action: 'admin:GET /servers', clientId: 'reader', outcome: 'denied' },
    ];
    // Written as they happen, in the order the earlier tests made them: waited for, each of them.
    await waitFor('the audit lines to be written', () => {
      const written = auditLines();
      return wanted.every((want) => written.some((line) => Object.entries(want).every(([k, v]) => line[k] === v)));
    });
    const lines = auditLines();
    const call = lines.find((l) => l.action === 'tools/call' && l.outcome === 'ok' && l.clientId === 'reader')!;
    expect(call).toMatchObject({ server: 'fx', target: 'fx__echo', session: expect.any(String) });
    expect(call.arguments_sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(call).not.toHaveProperty('arguments');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'tools/call', clientId: 'reader', target: 'fx__slow', outcome: 'denied' }),
        expect.objectContaining({ action: 'tools/call', clientId: 'limited', outcome: 'rate_limited' }),
        expect.objectContaining({ action: 'http', outcome: 'unauthenticated' }),
        expect.objectContaining({ action: 'http', clientId: 'ops', outcome: 'rate_limited' }),
        expect.objectContaining({ action: 'admin:GET /servers', clientId: 'reader', outcome: 'denied' }),
      ]),
    );
    expect(readFileSync(auditFile, 'utf8')).not.toContain('allowed'); // an argument value, never written
  });
});

describe('an identity provider that does not answer', () => {
  it('answers a JWT it cannot check with 503 AuthUnavailable and Retry-After, not 401', async () => {
    const dead = await freePort();
    const parsed = ConfigSchema.parse({
      health: { enabled: false },
      servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) }],
      auth: { jwt: { jwks_url: `http://127.0.0.1:${dead}/jwks.json`, audience: 'only1mcp' } },
    });
    const down = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
    try {
      // Signed with some key: what it is cannot matter, the gateway never gets to look.
      const token = await new SignJWT({ sub: 'u', aud: 'only1mcp' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setExpirationTime('5m')
        .sign((await generateKeyPair('ES256')).privateKey);
      const res = await fetch(`${down.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(await res.json()).toMatchObject({ error: { code: -32032, message: expect.stringMatching(/JWKS/) } });
      // No credentials at all is still the client's to fix.
      const bare = await fetch(`${down.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(bare.status).toBe(401);
    } finally {
      await down.stop();
    }
  }, 30_000);
});
