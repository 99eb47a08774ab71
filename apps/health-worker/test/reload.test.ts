/**
 * The health-worker follows its configuration file (issue 5/8): a server added by a reload is
 * probed, as the gateways that reloaded the same file route to it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { startHealthWorker, type RunningHealthWorker } from '../src';

let redis: RedisHandle;
let dir: string;
let worker: RunningHealthWorker;

function writeConfig(file: string, ids: string[]): void {
  writeFileSync(
    file,
    JSON.stringify({
      health: { interval: '200ms' },
      redis: { url: redis.url, key_prefix: 'worker-reload:' },
      servers: ids.map((id) => ({ id, transport: 'stdio', ...fixtureServerCommand({ label: id }) })),
    }),
  );
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-worker-reload-'));
}, 30_000);

afterAll(async () => {
  await worker?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('probes the servers of a reloaded configuration', async () => {
  const file = join(dir, 'only1mcp.json');
  writeConfig(file, ['first']);
  worker = await startHealthWorker(loadConfig({ path: file }).config, silentLogger, {
    metrics: { host: '127.0.0.1', port: 0 },
    configFile: file,
  });
  const probed = async (id: string) =>
    new RegExp(`^only1mcp_health_checks_total\\{server_id="${id}",outcome="ok"\\} [1-9]`, 'm').test(
      await (await fetch(worker.metricsUrl!)).text(),
    );
  await waitFor('the first server to be probed', () => probed('first'));
  writeConfig(file, ['first', 'second']);
  const report = await worker.reload!();
  expect(report).toMatchObject({ ok: true, servers: { added: ['second'], unchanged: ['first'] } });
  await waitFor('the added server to be probed', () => probed('second'));
}, 30_000);
