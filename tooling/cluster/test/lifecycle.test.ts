/**
 * Starting and stopping without leftovers: the built `only1mcp-cluster` bin runs until SIGINT
 * and then ends every process it started; a start that fails half-way (a configuration without
 * Redis, gateways that refuse their configuration) stops what was already running.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markedProcesses, waitFor } from '@only1mcp/test-utils';
import { DEFAULT_CLUSTER_CONFIG, GATEWAY_PATHS, startCluster, type RunningCluster } from '../src';
import { processGroupMembers } from './support/processGroups';

const BIN = join(__dirname, '..', 'dist', 'main.js');
/** Passed to every process the cluster starts (not ONLY1MCP_*: those are configuration overrides). */
const MARKER_NAME = 'CLUSTER_TEST_MARKER';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cluster-lifecycle-test-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stops a cluster that started although the test expected it not to. */
const unexpected: Promise<unknown>[] = [];
function afterStart(starting: Promise<RunningCluster>): void {
  unexpected.push(
    starting.then(
      (cluster) => cluster.stop(),
      () => undefined,
    ),
  );
}
afterAll(() => Promise.all(unexpected));

/** The default configuration with `edit` applied to its text, written to a temporary file. */
function configFile(name: string, edit: (text: string) => string): string {
  const file = join(dir, name);
  writeFileSync(file, edit(readFileSync(DEFAULT_CLUSTER_CONFIG, 'utf8')));
  return file;
}

it('runs the bin until SIGINT, printing where everything runs, then leaves nothing behind', async () => {
  const marker = randomUUID();
  const child = spawn(process.execPath, [BIN, '--gateways', '1', '--port', '0', '--balancer', 'node'], {
    env: { ...process.env, [MARKER_NAME]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitFor('the table', () => stdout.includes('Ctrl-C stops everything') || child.exitCode !== null, 60_000);
    expect(stderr).not.toMatch(/only1mcp: /);
    for (const role of ['redis', 'gateway', 'health-worker', 'balancer'])
      expect(stdout).toMatch(new RegExp(`^${role} `, 'm'));
    const pids = [...stdout.matchAll(/ (\d+) +\S+\.log$/gm)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(3); // redis, gateway-1, health-worker (the Node balancer runs in the bin)
    const mcp = /MCP \(Streamable HTTP\): +(\S+)/.exec(stdout)![1]!;
    expect((await fetch(mcp.replace(GATEWAY_PATHS.mcp, GATEWAY_PATHS.ready))).status).toBe(200);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(processGroupMembers(pids)).toEqual([]);
    expect(markedProcesses(`${MARKER_NAME}=${marker}`)).toEqual([]);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);

it('refuses a configuration without redis, stopping the Redis it had started', async () => {
  const marker = randomUUID();
  const file = configFile('no-redis.yaml', (text) => text.replace(/^redis:\n(?: .*\n)+/m, ''));
  const starting = startCluster({ configFile: file, port: 0, env: { [MARKER_NAME]: marker } });
  afterStart(starting);
  await expect(starting).rejects.toThrow(/has no redis section/);
  expect(markedProcesses(`${MARKER_NAME}=${marker}`)).toEqual([]);
});

it('stops what it had started when the Node processes cannot start, quoting their log', async () => {
  const marker = randomUUID();
  // Every Node child fails before running any code; Redis (not Node) starts fine and must be stopped.
  const env = { [MARKER_NAME]: marker, NODE_OPTIONS: `--require ${join(dir, 'no-such-module.js')}` };
  const starting = startCluster({ gateways: 2, port: 0, env });
  afterStart(starting);
  await expect(starting).rejects.toThrow(
    /(gateway-\d|health-worker) exited \(code 1\); its log ends with:\n[^]*no-such-module/,
  );
  await waitFor('every process to end', () => markedProcesses(`${MARKER_NAME}=${marker}`).length === 0, 5_000);
}, 30_000);
