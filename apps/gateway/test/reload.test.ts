/**
 * Hot reload and the admin API (issue 5/8), with real stdio fixture backends and a real SDK
 * client: a changed file applies without a restart (added servers start, removed ones drain and
 * stop, changed ones restart, untouched ones and the client's session are not disturbed, the
 * client hears list_changed); an invalid file keeps the old configuration and says why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, onFreePort, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { untilInFlight } from './support/inFlight';

let dir: string;
let file: string;
let gateway: RunningGateway;
let client: Client;
let listChanged = 0;
let port: number;

/** A YAML config with one stdio fixture server per label (JSON is valid YAML). */
function writeConfig(servers: { id: string; label?: string; env?: Record<string, string> }[], extra = {}): void {
  const config = {
    server: { port, shutdown_timeout: '5s' },
    health: { enabled: false },
    servers: servers.map(({ id, label, env }) => ({
      id,
      transport: 'stdio',
      ...fixtureServerCommand({ label: label ?? id }),
      ...(env ? { env } : {}),
    })),
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
}

const toolNames = async () => (await client.listTools()).tools.map((t) => t.name);
const whoami = async (server: string) =>
  JSON.parse(
    ((await client.callTool({ name: `${server}__whoami`, arguments: {} })) as { content: { text: string }[] })
      .content[0]!.text,
  ) as { label: string; pid: number };
const admin = async (path: string, method = 'GET') => {
  const res = await fetch(`${gateway.url}/api/v1/admin${path}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const metrics = async () => (await fetch(`${gateway.url}/metrics`)).text();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-reload-'));
  file = join(dir, 'only1mcp.yaml');
  gateway = await onFreePort((free) => {
    port = free;
    writeConfig([{ id: 'keep' }, { id: 'gone' }, { id: 'tuned', env: { API_TOKEN: 'secret-1' } }]);
    return startGateway(loadConfig({ path: file }).config, silentLogger, { configFile: file });
  });
  client = new Client({ name: 'reload-watcher', version: '1.0.0' });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
}, 30_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hot reload', () => {
  it('applies a changed file: adds, drains and removes, restarts what changed, leaves the rest alone', async () => {
    const keepBefore = await whoami('keep');
    const tunedBefore = await whoami('tuned');
    const changesBefore = listChanged;
    // A call in flight on the server about to be removed must finish.
    const inFlight = client.callTool({ name: 'gone__slow', arguments: { ms: 600 } });
    await untilInFlight(gateway);

    writeConfig([{ id: 'keep' }, { id: 'tuned', env: { API_TOKEN: 'secret-2' } }, { id: 'added' }]);
    await waitFor('the file change to apply', async () => {
      const names = await toolNames();
      return names.includes('added__echo') && !names.includes('gone__echo');
    });

    expect(((await inFlight) as { content: { text: string }[] }).content[0]!.text).toBe('slept 600ms');
    await waitFor('clients to hear that the tool list changed', () => listChanged > changesBefore);
    // Untouched: the same process, and the client's session went on without re-initializing.
    expect((await whoami('keep')).pid).toBe(keepBefore.pid);
    // Changed (its environment): a new process.
    expect((await whoami('tuned')).pid).not.toBe(tunedBefore.pid);
    expect(gateway.registry.status().map((s) => s.id)).toEqual(['keep', 'tuned', 'added']);

    // The catalogue changes first; the report is written once the health checks have restarted too.
    await waitFor('the reload report', async () => (await admin('/reload')).body.lastReload !== null);
    const last = (await admin('/reload')).body.lastReload as Record<string, unknown>;
    expect(last).toMatchObject({
      ok: true,
      trigger: 'file',
      servers: { added: ['added'], removed: ['gone'], changed: ['tuned'], unchanged: ['keep'] },
    });
    expect(await metrics()).toMatch(/^only1mcp_config_reloads_total\{outcome="success"\} [1-9]/m);
  }, 30_000);

  it('refuses an invalid file whole, keeps serving the old configuration and reports every problem', async () => {
    writeFileSync(
      file,
      JSON.stringify({
        servers: [
          { id: 'keep', transport: 'carrier-pigeon' },
          { id: 'x', transport: 'stdio' },
        ],
      }),
    );
    const report = await gateway.reload!('admin');
    expect(report.ok).toBe(false);
    expect(report.errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining(['servers[0].transport', 'servers[1].command']),
    );
    expect(await toolNames()).toEqual(expect.arrayContaining(['keep__echo', 'added__echo']));
    const body = await metrics();
    expect(body).toMatch(/^only1mcp_config_reloads_total\{outcome="failure"\} [1-9]/m);
    expect(body).toMatch(/^only1mcp_config_last_reload_successful 0$/m);
    // The admin API says the same, with status 422.
    const refused = await admin('/reload', 'POST');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ ok: false, trigger: 'admin' });
  }, 30_000);

  it('reports settings that need a restart, and applies the rest', async () => {
    writeConfig([{ id: 'keep' }, { id: 'added' }], {
      server: { port, shutdown_timeout: '5s', max_body_size: '1mb' },
    });
    const report = await gateway.reload!('admin');
    expect(report.errors).toBeUndefined();
    expect(report).toMatchObject({ ok: true, restartRequired: ['server'], servers: { removed: ['tuned'] } });
    expect(await toolNames()).not.toContain('tuned__echo');
  }, 30_000);
});

describe('admin API', () => {
  it('lists servers with replicas, health, breakers, latency and connections', async () => {
    await whoami('keep');
    const { status, body } = await admin('/servers');
    expect(status).toBe(200);
    const keep = (body.servers as Record<string, unknown>[]).find((s) => s.id === 'keep')!;
    expect(keep).toMatchObject({ id: 'keep', transport: 'stdio', enabled: true, up: true, pool: { pending: 0 } });
    expect(keep.latencyMs).toEqual(expect.any(Number));
    expect((keep.replicas as Record<string, unknown>[])[0]).toMatchObject({
      id: 'keep#0',
      state: 'up',
      breaker: 'closed',
      health: 'unknown',
    });
  });

  it('shows one server with what it serves, secrets masked; 404 for an unknown one', async () => {
    writeConfig([{ id: 'keep' }, { id: 'added', env: { API_TOKEN: 'do-not-show' } }]);
    await gateway.reload!('admin');
    const { body } = await admin('/servers/added');
    expect(body.tools).toEqual(expect.arrayContaining(['added__echo', 'added__whoami']));
    expect((body.settings as { env: Record<string, string> }).env).toEqual({ API_TOKEN: '***' });
    expect(JSON.stringify(body)).not.toContain('do-not-show');
    expect((await admin('/servers/nope')).status).toBe(404);
  }, 30_000);

  it('disables and enables a server: its tools leave and come back, clients are told', async () => {
    const before = listChanged;
    const disabled = await admin('/servers/added/disable', 'POST');
    expect(disabled.status).toBe(200);
    expect(disabled.body.server).toMatchObject({ id: 'added', enabled: false, up: false });
    expect(await toolNames()).not.toContain('added__echo');
    await waitFor('list_changed for the disabled server', () => listChanged > before);
    // A reload keeps the operator's choice.
    await gateway.reload!('admin');
    expect(await toolNames()).not.toContain('added__echo');
    expect((await admin('/servers/added/enable', 'POST')).status).toBe(200);
    await waitFor('its tools to come back', async () => (await toolNames()).includes('added__echo'));
  }, 30_000);

  it('lists sessions and the gateway status', async () => {
    const sessions = (await admin('/sessions')).body.sessions as Record<string, unknown>[];
    expect(sessions).toEqual([
      expect.objectContaining({
        transport: 'streamable_http',
        client: { name: 'reload-watcher', version: '1.0.0' },
        protocolVersion: '2025-11-25',
        adopted: false,
      }),
    ]);
    const status = (await admin('/status')).body;
    expect(status).toMatchObject({
      ready: true,
      configFile: file,
      sessions: { streamable_http: 1, sse: 0 },
      servers: { total: 2, up: 2 },
    });
    expect(status.lastReload).toMatchObject({ ok: true });
  });
});
