/**
 * Start-up with many, slow and broken stdio backends: processes start a few at a time (so none
 * misses its connect_timeout for sharing the CPU with all the others), each is spawned once (the
 * protocol probe runs on the process itself), a server that exits on the probe is connected to
 * without it, and a backend that hangs holds start-up up for connect_timeout at most.
 *
 * The backends are a few lines of plain Node speaking JSON-RPC on stdio, so that how they
 * misbehave is exact, and each notes in a shared file when it starts and when it is initialized.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '@only1mcp/config';
import { Registry, StartGate, silentLogger } from '../src';
import { waitFor } from './support';

/**
 * argv: mode, log file. Modes: `plain`; `busy` (spends 150 ms of CPU before reading, as a runtime
 * loading its code does); `waits` (sleeps 500 ms before reading, as a start fetching a package does); `strict` (exits on any request before `initialize`, as some SDKs do);
 * `unlisted` (never answers `tools/list`); `late` (does not answer its first `tools/list`, as a
 * server still busy starting may not in time); `silent` (never answers anything).
 */
const BACKEND = `
const fs = require('fs');
const [mode, log] = process.argv.slice(1);
const note = (what) => fs.appendFileSync(log, what + ' ' + mode + ' ' + process.pid + '\\n');
note('start');
if (mode === 'busy') for (const end = Date.now() + 150; Date.now() < end; );
if (mode === 'waits') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
let initialized = false;
let lists = 0;
let buffer = '';
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i; (i = buffer.indexOf('\\n')) >= 0; ) {
    const message = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    if (mode === 'silent' || message.id === undefined) continue;
    if (message.method === 'initialize') {
      initialized = true;
      note('ready');
      const result = { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: mode, version: '1.0.0' } };
      send({ id: message.id, result });
    } else if (!initialized && mode === 'strict') process.exit(1);
    else if (message.method === 'tools/list') {
      if (mode === 'late') note('list');
      if (mode === 'late' && ++lists === 1) continue;
      if (mode !== 'unlisted') send({ id: message.id, result: { tools: [{ name: 'tool', inputSchema: { type: 'object' } }] } });
    } else send({ id: message.id, error: { code: -32601, message: 'Method not found' } });
  }
});
`;

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-startup-'));
  log = join(dir, 'backends.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const backend = (id: string, mode: string, extra: Record<string, unknown> = {}) => ({
  id,
  transport: 'stdio',
  command: process.execPath,
  args: ['-e', BACKEND, mode, log],
  restart: { initial_delay: '10s' },
  ...extra,
});

/** The shared log: one `[event, mode, pid]` per line. */
const events = () =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '));

async function started(servers: object[], startGate?: StartGate): Promise<{ registry: Registry; ms: number }> {
  const registry = new Registry(ConfigSchema.parse({ servers }), { logger: silentLogger, startGate });
  const t0 = performance.now();
  await registry.start();
  return { registry, ms: performance.now() - t0 };
}

/** The most backends that had started but were not initialized yet, at any moment. */
function mostStartingAtOnce(): number {
  let starting = 0;
  let most = 0;
  for (const [event] of events()) {
    if (event !== 'start' && event !== 'ready') continue;
    starting += event === 'start' ? 1 : -1;
    most = Math.max(most, starting);
  }
  return most;
}

describe('start-up', () => {
  it('starts backend processes a few at a time, each once, and lists them all', async () => {
    const servers = Array.from({ length: 6 }, (_, i) => backend(`b${i}`, 'busy'));
    // Whatever the machine's idle time: spare CPU would let more in.
    const { registry } = await started(servers, new StartGate(2, { spareCpu: false }));
    try {
      expect(registry.catalog.tools.map((t) => t.name).sort()).toEqual(servers.map((s) => `${s.id}__tool`));
      expect(mostStartingAtOnce()).toBe(2);
      // Probed on the process itself: no throwaway sibling process per backend.
      expect(events().filter(([event]) => event === 'start')).toHaveLength(6);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('lets more backends start beyond its turns while their starts leave the CPU idle', async () => {
    // `waits` backends sleep before reading, as one fetching its package does; the sampler stands
    // for a machine whose cores those starts leave idle.
    const servers = Array.from({ length: 4 }, (_, i) => backend(`w${i}`, 'waits'));
    const gate = new StartGate(1, { spareCpu: () => 2, intervalMs: 20 });
    const { registry } = await started(servers, gate);
    try {
      expect(registry.catalog.tools.map((t) => t.name).sort()).toEqual(servers.map((s) => `${s.id}__tool`));
      expect(mostStartingAtOnce()).toBeGreaterThan(1);
      expect(gate.admittedBeyondLimit).toBeGreaterThan(0);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('connects again without the protocol probe to a server that exits on it', async () => {
    const { registry } = await started([backend('strict', 'strict')]);
    try {
      expect(registry.catalog.tools.map((t) => t.name)).toEqual(['strict__tool']);
      expect(events().map(([event]) => event)).toEqual(['start', 'start', 'ready']);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('restarts a 2025-era backend without the probe: one process for a server that exits on it', async () => {
    const { registry } = await started([backend('strict', 'strict', { restart: { initial_delay: '100ms' } })]);
    try {
      expect(events().map(([event]) => event)).toEqual(['start', 'start', 'ready']);
      const [, , pid] = events().at(-1)!;
      process.kill(Number(pid), 'SIGKILL');
      // The fixture notes `ready` as it reads `initialize`, before the registry has its answer: wait
      // for both, so the registry is not caught between the two.
      await waitFor(
        'the restarted server to be ready and up',
        () =>
          events().filter(([event]) => event === 'ready').length === 2 &&
          registry.status().find((s) => s.id === 'strict')?.up === true,
      );
      // Its era was known: started once and initialized, not probed (which it would exit on) first.
      expect(events().map(([event]) => event)).toEqual(['start', 'start', 'ready', 'start', 'ready']);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it("connects each client session's own connection to a known 2025-era backend without the probe", async () => {
    const { registry } = await started([backend('strict', 'strict', { connection: { mode: 'per_session' } })]);
    try {
      const session = (key: string) => ({ key, client: { capabilities: {}, request: () => Promise.resolve({}) } });
      // The fixture answers tools/call with an error; what matters is the connection it opened.
      for (const key of ['s1', 's2'])
        await registry
          .callTool({ name: 'strict__tool', arguments: {} }, { session: session(key) })
          .catch(() => undefined);
      // The shared connection probed (and restarted the server); each session's connection did not.
      expect(events().map(([event]) => event)).toEqual(['start', 'start', 'ready', 'start', 'ready', 'start', 'ready']);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('reads the lists of a backend again when a read failed, without a restart', async () => {
    const { registry } = await started([backend('late', 'late', { connect_timeout: '1s', request_timeout: '300ms' })]);
    try {
      await waitFor('its tools listed', () => registry.catalog.tools.some((t) => t.name === 'late__tool'), 10_000);
      expect(events().map(([event]) => event)).toEqual(['start', 'ready', 'list', 'list']);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('waits connect_timeout at most for a backend that connects but does not list', async () => {
    const { registry, ms } = await started([
      backend('plain', 'plain'),
      // connect_timeout leaves a busy machine time to start and handshake (1 s failed once under a
      // loaded CI run); what matters is that start-up waits that long, not request_timeout's 60 s.
      backend('unlisted', 'unlisted', { connect_timeout: '3s', request_timeout: '60s' }),
    ]);
    try {
      expect(ms).toBeLessThan(8_000);
      expect(registry.catalog.tools.map((t) => t.name)).toEqual(['plain__tool']);
      expect(registry.status().find((s) => s.id === 'unlisted')?.up).toBe(true);
    } finally {
      await registry.stop();
    }
  }, 20_000);

  it('gives up on a backend that never answers after connect_timeout, probe included', async () => {
    const { registry, ms } = await started([
      backend('plain', 'plain'),
      backend('silent', 'silent', { connect_timeout: '2s' }),
    ]);
    try {
      // Once connect_timeout (the probe and the connect within it), not once each: under 2 × 2 s,
      // with room for spawning both processes on a loaded machine.
      expect(ms).toBeLessThan(3_800);
      expect(registry.catalog.tools.map((t) => t.name)).toEqual(['plain__tool']);
      expect(registry.status().find((s) => s.id === 'silent')?.up).toBe(false);
    } finally {
      await registry.stop();
    }
  }, 20_000);
});
