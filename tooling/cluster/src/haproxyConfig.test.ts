/** The generated haproxy.cfg: accepted by HAProxy itself (where installed), and the stats CSV read back. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './findBinary';
import { HAPROXY_BACKENDS, haproxyConfig, upServers } from './haproxyConfig';

const config = haproxyConfig({
  port: 18080,
  statsPort: 18404,
  checkIntervalMs: 250,
  upstreams: [
    { name: 'gateway-1', url: 'http://127.0.0.1:18001' },
    { name: 'gateway-2', url: 'http://127.0.0.1:18002' },
  ],
});

it('balances round robin with GET /ready checks, streams without delay and keeps legacy SSE on one replica', () => {
  expect(config).toContain('bind 127.0.0.1:18080');
  expect(config).toMatch(/backend gateways\n {2}balance roundrobin\n {2}option httpchk GET \/ready/);
  expect(config).toContain('default-server inter 250ms fall 2 rise 1');
  expect(config).toContain('server gateway-2 127.0.0.1:18002 check');
  expect(config).toContain('acl legacy_sse path /sse /messages');
  expect(config).toContain('server gateway-1 127.0.0.1:18001 track gateways/gateway-1');
  expect(config).toContain('timeout server 1h');
  expect(config).toContain('option http-no-delay');
});

const haproxy = findBinary('haproxy');
(haproxy ? it : it.skip)(`is valid for haproxy -c${haproxy ? '' : ' (skipped: haproxy is not installed)'}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-config-test-'));
  try {
    const file = join(dir, 'haproxy.cfg');
    writeFileSync(file, config);
    const check = spawnSync(haproxy!, ['-c', '-f', file], { encoding: 'utf8' });
    expect({ status: check.status, output: check.stdout + check.stderr }).toMatchObject({ status: 0 });
    expect(check.stdout + check.stderr).not.toMatch(/\[WARNING\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('reads which servers of a backend are UP from the statistics CSV', () => {
  const csv = [
    '# pxname,svname,qcur,status,weight',
    'mcp,FRONTEND,,OPEN,',
    `${HAPROXY_BACKENDS.gateways},gateway-1,0,UP,1`,
    `${HAPROXY_BACKENDS.gateways},gateway-2,0,DOWN,1`,
    `${HAPROXY_BACKENDS.gateways},gateway-3,0,UP 1/2,1`,
    `${HAPROXY_BACKENDS.gateways},BACKEND,0,UP,2`,
    `${HAPROXY_BACKENDS.legacySse},gateway-2,0,UP,1`,
    '',
  ].join('\n');
  expect(upServers(csv, HAPROXY_BACKENDS.gateways)).toEqual(['gateway-1', 'gateway-3']);
});
