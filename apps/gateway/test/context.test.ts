/**
 * Context optimization and caching (issue 7/8), through a real gateway and SDK clients: profiles
 * chosen by `?profile=` or by role (filtering, compaction, description caps, lazy meta-tools),
 * tokens saved counted, cached tool and resource results (TTL, per-client isolation, errors never
 * cached, a reload clears them), and list invalidation when a backend's tools change.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { hashApiKey } from '@only1mcp/auth';
import { loadConfig } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { FIXTURE_RESOURCE_URI, fixtureServerCommand, onFreePort, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

const ALICE = 'o1m_alice-0123456789';
const BOB = 'o1m_bob-0123456789';
const LAZY = 'o1m_lazy-0123456789';
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let dir: string;
let file: string;
let gateway: RunningGateway;
const clients: Client[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-context-'));
  file = join(dir, 'only1mcp.json');
  gateway = await onFreePort((port) => {
    writeFileSync(
      file,
      JSON.stringify({
        server: { port },
        health: { enabled: false },
        servers: [
          { id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) },
          { id: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] },
        ],
        auth: {
          api_keys: [
            { client_id: 'alice', key_hash: hashApiKey(ALICE), roles: ['user'] },
            { client_id: 'bob', key_hash: hashApiKey(BOB), roles: ['user'] },
            { client_id: 'lazy', key_hash: hashApiKey(LAZY), roles: ['user', 'explorer'] },
          ],
          roles: { user: { allow: ['*'] }, explorer: { allow: ['*'] } },
        },
        cache: {
          tools: [{ name: 'fx__whoami', ttl: '2s' }],
          resources: [{ uri: 'fixture://*', ttl: '10s' }],
        },
        context: {
          profiles: {
            echo: { allow: ['*echo*'] },
            compact: { compact_schemas: true, max_description_length: 40 },
            lazy: { lazy_tools: true, roles: ['explorer'] },
          },
        },
      }),
    );
    return startGateway(loadConfig({ path: file }).config, silentLogger, {
      configFile: file,
      watchConfig: false,
    });
  });
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(key: string, profile?: string): Promise<Client> {
  const client = new Client({ name: 'context-test', version: '1.0.0' });
  const url = new URL(`${gateway.url}/mcp${profile ? `?profile=${profile}` : ''}`);
  await client.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
  );
  clients.push(client);
  return client;
}

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;
const scrape = async () => (await fetch(`${gateway.url}/metrics`)).text();
const counter = (body: string, sample: string) =>
  Number(
    body
      .split('\n')
      .find((l) => l.startsWith(`${sample} `))
      ?.slice(sample.length + 1) ?? 0,
  );

describe('context profiles', () => {
  it('sends the full catalogue without a profile, and only the matching tools with ?profile=echo', async () => {
    const full = (await (await connect(ALICE)).listTools()).tools;
    expect(full.length).toBeGreaterThan(10);
    const echo = (await (await connect(ALICE, 'echo')).listTools()).tools.map((t) => t.name);
    expect(echo.sort()).toEqual(['everything__echo', 'fx__echo']);
  });

  it('compacts schemas and caps descriptions without changing what arguments are accepted, and counts the tokens saved', async () => {
    const before = counter(await scrape(), 'only1mcp_context_tokens_saved_total');
    const client = await connect(ALICE, 'compact');
    const tools = (await client.listTools()).tools;
    for (const tool of tools) {
      expect(JSON.stringify(tool.inputSchema)).not.toContain('$schema');
      expect((tool.description ?? '').length).toBeLessThanOrEqual(41);
    }
    // The compacted schema still drives a valid call.
    const echoed = await client.callTool({ name: 'fx__echo', arguments: { message: 'compact' } });
    expect(textOf(echoed)).toBe('compact');
    expect(counter(await scrape(), 'only1mcp_context_tokens_saved_total')).toBeGreaterThan(before);
  });

  it('gives a client whose role selects a lazy profile three meta-tools that search, describe and call', async () => {
    const client = await connect(LAZY);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['only1mcp__call_tool', 'only1mcp__describe_tool', 'only1mcp__search_tools']);
    expect(client.getInstructions()).toContain('only1mcp__search_tools');
    const found = JSON.parse(
      textOf(await client.callTool({ name: 'only1mcp__search_tools', arguments: { query: 'echo' } })),
    ) as { name: string }[];
    expect(found.map((f) => f.name)).toEqual(expect.arrayContaining(['fx__echo', 'everything__echo']));
    const described = JSON.parse(
      textOf(await client.callTool({ name: 'only1mcp__describe_tool', arguments: { name: 'fx__echo' } })),
    ) as { name: string; inputSchema: { properties: Record<string, unknown> } };
    expect(described.name).toBe('fx__echo');
    expect(Object.keys(described.inputSchema.properties)).toEqual(['message']);
    const called = await client.callTool({
      name: 'only1mcp__call_tool',
      arguments: { name: 'fx__echo', arguments: { message: 'lazily' } },
    });
    expect(textOf(called)).toBe('lazily');
  });
});

describe('result cache', () => {
  const whoami = async (client: Client) =>
    JSON.parse(textOf(await client.callTool({ name: 'fx__whoami', arguments: {} }))) as { calls: number };

  it('serves a cacheable tool from the cache until its TTL, per client, and counts hits', async () => {
    const alice = await connect(ALICE);
    const bob = await connect(BOB);
    const first = await whoami(alice);
    expect((await whoami(alice)).calls).toBe(first.calls); // cached
    // Bob never gets Alice's cached answer.
    expect((await whoami(bob)).calls).toBeGreaterThan(first.calls);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await whoami(alice)).calls).toBeGreaterThan(first.calls); // expired
    const body = await scrape();
    expect(counter(body, 'only1mcp_cache_requests_total{layer="memory",outcome="hit"}')).toBeGreaterThanOrEqual(1);
    expect(counter(body, 'only1mcp_cache_requests_total{layer="memory",outcome="miss"}')).toBeGreaterThanOrEqual(3);
    expect(counter(body, 'only1mcp_cache_hit_ratio')).toBeGreaterThan(0);
  });

  it('never caches what is not listed, and caches resource reads', async () => {
    const alice = await connect(ALICE);
    const a = await alice.callTool({ name: 'fx__echo', arguments: { message: 'x' } });
    expect(textOf(a)).toBe('x');
    const hitsBefore = counter(await scrape(), 'only1mcp_cache_requests_total{layer="memory",outcome="hit"}');
    await alice.readResource({ uri: FIXTURE_RESOURCE_URI });
    await alice.readResource({ uri: FIXTURE_RESOURCE_URI });
    expect(counter(await scrape(), 'only1mcp_cache_requests_total{layer="memory",outcome="hit"}')).toBe(hitsBefore + 1);
  });

  it('clears cached results on reload', async () => {
    const alice = await connect(ALICE);
    writeFileSync(
      file,
      JSON.stringify({
        ...JSON.parse(readFileSync(file, 'utf8')),
        cache: { tools: [{ name: 'fx__whoami', ttl: '1h' }] },
      }),
    );
    await gateway.reload!('admin');
    const first = await whoami(alice);
    expect((await whoami(alice)).calls).toBe(first.calls);
    await gateway.reload!('admin');
    expect((await whoami(alice)).calls).toBeGreaterThan(first.calls);
  });
});

describe('list invalidation', () => {
  it('shows a tool a backend added at run time on the next list', async () => {
    const alice = await connect(ALICE);
    await alice.callTool({ name: 'fx__add-tool', arguments: { name: 'fresh' } });
    await waitFor('the new tool in the list', async () =>
      (await alice.listTools()).tools.some((t) => t.name === 'fx__fresh'),
    );
  });

  it("never serves a profile's list built before a change: a new tool, a reloaded profile, reloaded roles", async () => {
    // The same session throughout: each profile's list is built once per catalogue and settings.
    const echo = await connect(ALICE, 'echo');
    const names = async () => (await echo.listTools()).tools.map((t) => t.name).sort();
    expect(await names()).toEqual(['everything__echo', 'fx__echo']);
    await echo.callTool({ name: 'fx__add-tool', arguments: { name: 'echo-again' } });
    await waitFor("the new tool in the profile's list", async () => (await names()).includes('fx__echo-again'));

    const settings = JSON.parse(readFileSync(file, 'utf8')) as {
      context: { profiles: Record<string, unknown> };
      auth: { roles: Record<string, unknown> };
    };
    const reload = async () => {
      writeFileSync(file, JSON.stringify(settings));
      expect((await gateway.reload!('admin')).ok).toBe(true);
    };
    settings.context.profiles.echo = { allow: ['fx__*echo*'] };
    await reload();
    expect(await names()).toEqual(['fx__echo', 'fx__echo-again']);
    settings.auth.roles.user = { allow: ['*'], deny: ['fx__echo-again'] };
    await reload();
    expect(await names()).toEqual(['fx__echo']);
  });
});
