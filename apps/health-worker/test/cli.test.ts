/** The real `only1mcp-health-worker` bin. */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appBin } from '@only1mcp/test-utils';

const BIN = appBin('@only1mcp/health-worker');
const SOLO = join(__dirname, '..', '..', '..', 'config', 'templates', 'solo.yaml');

describe('only1mcp-health-worker', () => {
  it('refuses a configuration without Redis, saying why', () => {
    const res = spawnSync(process.execPath, [BIN, '--config', SOLO], {
      encoding: 'utf8',
      cwd: tmpdir(),
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('the health-worker needs redis.url');
  });

  it('reports an invalid configuration with the file and key path', () => {
    const res = spawnSync(process.execPath, [BIN, '--config', join(tmpdir(), 'no-such-only1mcp.yaml')], {
      encoding: 'utf8',
      cwd: tmpdir(),
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('no-such-only1mcp.yaml');
  });
});
