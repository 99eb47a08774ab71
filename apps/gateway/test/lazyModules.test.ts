/**
 * Libraries a configuration may never need load only when it does: a gateway that no pre-2025
 * client uses holds no SDK v1, one without Redis no ioredis, one without JWT auth no jose, one
 * read from JSON no yaml. Checked in a fresh Node process on the built gateway, whose module cache
 * is the process's own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(__dirname, '..', 'dist', 'index.js');

/** Runs `script` in a fresh Node with `DIST` in scope; its last stdout line, parsed as JSON. */
function inFreshNode(script: string): unknown {
  const res = spawnSync(process.execPath, ['-e', `const DIST = ${JSON.stringify(DIST)};\n${script}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.status !== 0) throw new Error(`child failed (${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!);
}

/** Which of the optional libraries are in the module cache. */
const LOADED = `
const loaded = () => {
  const keys = Object.keys(require.cache);
  const has = (re) => keys.some((k) => re.test(k));
  return {
    sdkV1: has(/@modelcontextprotocol[+/]sdk@?/),
    ioredis: has(/[/]ioredis[/]/),
    jose: has(/[/]jose[/]/),
    yaml: has(/[/]yaml[/]/),
  };
};`;

describe('optional libraries', () => {
  it('are not loaded by requiring or starting the gateway; SDK v1 loads with the first legacy SSE stream', () => {
    const result = inFreshNode(`${LOADED}
const { startGateway } = require(DIST);
const { ConfigSchema } = require(require.resolve('@only1mcp/config', { paths: [DIST] }));
const { silentLogger } = require(require.resolve('@only1mcp/registry', { paths: [DIST] }));
const http = require('node:http');
(async () => {
  const atRequire = loaded();
  const parsed = ConfigSchema.parse({ servers: [{ id: 'off', transport: 'stdio', command: process.execPath, enabled: false }] });
  const gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
  const atStart = loaded();
  const { port } = new URL(gateway.url);
  await new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/sse', headers: { accept: 'text/event-stream' } }, (res) => {
      res.once('data', () => { req.destroy(); resolve(); });
    });
    req.on('error', reject);
  });
  const afterSse = loaded();
  await gateway.stop();
  console.log(JSON.stringify({ atRequire, atStart, afterSse }));
})().catch((err) => { console.error(err); process.exit(1); });
`);
    const none = { sdkV1: false, ioredis: false, jose: false, yaml: false };
    expect(result).toEqual({ atRequire: none, atStart: none, afterSse: { ...none, sdkV1: true } });
  }, 60_000);
});
