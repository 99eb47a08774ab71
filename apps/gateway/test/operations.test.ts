/**
 * The gateway as an operator runs it (issue 5/8): the real `only1mcp start` process, its JSON
 * logs (one structured line per request, secrets never written), SIGHUP reloads, and
 * `only1mcp status` / `only1mcp reload` talking to its admin API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  appBin,
  endProcess,
  fixtureServerCommand,
  freePort,
  onFreePort,
  untilWritten,
  waitFor,
} from '@only1mcp/test-utils';

const BIN = appBin('@only1mcp/gateway');
const SECRET = 'sk-live-0123456789abcdef';

let dir: string;
let file: string;
let url: string;
let gateway: ChildProcess;
let stderr = '';

/** Writes the config: a fixture server, and one whose process prints its token and exits (as a buggy one might). */
function writeConfig(port: number, withExtra: boolean): void {
  const servers: Record<string, unknown>[] = [
    { id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }), env: { API_TOKEN: SECRET } },
    {
      id: 'leaky',
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', 'console.error("starting with token " + process.env.API_TOKEN); process.exit(1)'],
      env: { API_TOKEN: SECRET },
      restart: { max_attempts: 1 },
    },
  ];
  if (withExtra) servers.push({ id: 'extra', transport: 'stdio', ...fixtureServerCommand({ label: 'extra' }) });
  writeFileSync(file, JSON.stringify({ server: { port }, health: { enabled: false }, servers }));
}

function only1mcp(args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** The JSON log lines written so far. */
const logLines = () =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-ops-'));
  file = join(dir, 'only1mcp.json');
  gateway = await onFreePort(async (port) => {
    url = `http://127.0.0.1:${port}`;
    writeConfig(port, false);
    stderr = '';
    const child = spawn(process.execPath, [BIN, 'start', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      await untilWritten(child, () => stderr, 'serving MCP on');
    } catch (err) {
      await endProcess(child);
      throw err;
    }
    return child;
  });
}, 45_000);

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('operating a running gateway', () => {
  it('logs one structured JSON line per request, and never a secret', async () => {
    const client = new Client({ name: 'ops', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    await client.callTool({ name: 'fx__echo', arguments: { message: 'hello' } });
    await client.close();
    await waitFor('the request line', () => logLines().some((l) => l.message === 'request' && l.server === 'fx'));
    const line = logLines().find((l) => l.message === 'request' && l.method === 'tools/call')!;
    expect(line).toMatchObject({
      level: 'info',
      method: 'tools/call',
      server: 'fx',
      outcome: 'ok',
      requestId: expect.any(String),
      session: expect.any(String),
      latencyMs: expect.any(Number),
      timestamp: expect.any(String),
    });
    // The leaky backend printed its token on stderr, which the gateway logs: masked.
    await waitFor('the leaky backend’s output in the log', () => stderr.includes('starting with token'));
    expect(stderr).toContain('starting with token ***');
    expect(stderr).not.toContain(SECRET);
  }, 30_000);

  it('reloads on SIGHUP, and `only1mcp status` shows the result', async () => {
    writeConfig(Number(new URL(url).port), true);
    gateway.kill('SIGHUP');
    await waitFor('the reload', () => logLines().some((l) => l.message === 'configuration reloaded'));
    const status = only1mcp(['status', '--url', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^only1mcp .* ready/);
    expect(status.stdout).toMatch(/^extra\s+yes\s+yes\s+1\/1/m);
    expect(status.stdout).toMatch(/^last reload: .*, ok$/m);
    const json = JSON.parse(only1mcp(['status', '--url', url, '--json']).stdout) as { servers: { servers: unknown[] } };
    expect(json.servers.servers).toHaveLength(3);
  }, 30_000);

  it('`only1mcp reload` applies a valid file, and exits 1 naming every problem of an invalid one', async () => {
    const ok = only1mcp(['reload', '--url', url]);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining(`reloaded ${file}`) });
    writeFileSync(file, JSON.stringify({ servers: [{ id: 'fx', transport: 'stdio', replicas: 0 }] }));
    const refused = only1mcp(['reload', '--url', url]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('reload refused');
    expect(refused.stdout).toContain('servers[0].command');
    expect(refused.stdout).toContain('servers[0].replicas');
    // The gateway still serves the old configuration.
    expect(only1mcp(['status', '--url', url]).stdout).toMatch(/^fx\s+yes\s+yes/m);
  }, 30_000);

  it('`only1mcp status` says clearly when no gateway answers', async () => {
    const port = await freePort();
    const res = only1mcp(['status', '--url', `http://127.0.0.1:${port}`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`cannot reach the gateway at http://127.0.0.1:${port}`);
  });
});
