/**
 * The compose topology from local processes, end to end: two gateway replicas (the real CLI)
 * sharing a real redis-server, the health-worker, and a balancer in front, driven by real SDK
 * clients of every generation THROUGH the balancer. Each balancer that is installed here is
 * tested (the Node one always, HAProxy when on PATH).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { METRIC } from '@only1mcp/metrics';
import { markedProcesses, waitFor } from '@only1mcp/test-utils';
import { BALANCER_KINDS, GATEWAY_PATHS, findBinary, startCluster, type RunningCluster } from '../src';
import { scrape } from './support/metricsText';
import { processGroupMembers } from './support/processGroups';

/** Passed to every process the cluster starts (not ONLY1MCP_*: those are configuration overrides). */
const MARKER_NAME = 'CLUSTER_TEST_MARKER';
const installed = (kind: string) => kind === 'node' || findBinary(kind) !== undefined;

interface Echoing {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
}

async function echo(client: Echoing, message: string): Promise<void> {
  expect(await client.callTool({ name: 'everything__echo', arguments: { message } })).toMatchObject({
    content: [{ type: 'text', text: `Echo: ${message}` }],
  });
}

describe.each(BALANCER_KINDS)('a cluster behind the %s balancer', (kind) => {
  if (!installed(kind)) {
    it.skip(`(skipped: ${kind} is not installed)`, () => undefined);
    return;
  }

  const marker = randomUUID();
  let cluster: RunningCluster;
  let v1: ClientV1;
  let v1Transport: StreamableHTTPClientTransport;
  let v2: ClientV2;
  let legacy: ClientV1;
  const requests = (url: string, labels: Record<string, string> = {}) =>
    scrape(`${url}${GATEWAY_PATHS.metrics}`, METRIC.requestsTotal, labels);

  beforeAll(async () => {
    cluster = await startCluster({
      gateways: 2,
      port: 0,
      balancer: kind,
      checkIntervalMs: 250,
      env: { [MARKER_NAME]: marker },
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([v1, v2, legacy].map((c) => c?.close().catch(() => undefined)));
    await cluster?.stop();
  }, 30_000);

  it('carries every client generation through the balancer to every replica', async () => {
    expect(cluster.balancer).toBe(kind);
    const before = await Promise.all(cluster.gateways.map((g) => requests(g.url)));
    const mcp = new URL(`${cluster.balancerUrl}${GATEWAY_PATHS.mcp}`);

    v1 = new ClientV1({ name: 'cluster-test-v1', version: '1.0.0' });
    v1Transport = new StreamableHTTPClientTransport(mcp);
    await v1.connect(v1Transport);
    expect(v1Transport.sessionId).toBeDefined();
    expect((await v1.listTools()).tools.map((t) => t.name)).toContain('everything__echo');
    for (let i = 0; i < 6; i++) await echo(v1, `v1-${i}`);

    v2 = new ClientV2({ name: 'cluster-test-v2', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await v2.connect(new TransportV2(mcp));
    expect(v2.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((await v2.listTools()).tools.length).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await echo(v2, `v2-${i}`);

    // Legacy SSE: /messages must reach the replica holding the /sse stream, or every call fails.
    legacy = new ClientV1({ name: 'cluster-test-sse', version: '1.0.0' });
    await legacy.connect(new SSEClientTransport(new URL(`${cluster.balancerUrl}${GATEWAY_PATHS.legacySse}`)));
    expect((await legacy.listTools()).tools.length).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await echo(legacy, `sse-${i}`);

    const after = await Promise.all(cluster.gateways.map((g) => requests(g.url)));
    after.forEach((n, i) => expect(n).toBeGreaterThan(before[i]!));
    expect(after.reduce((a, b) => a + b) - before.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(6 + 4 + 3 + 3);
  });

  it('streams progress notifications through the balancer as they happen, not with the result', async () => {
    // A 20 s operation reporting each second. A balancer that buffers the response delivers the
    // first report with the result, 20 s on; streamed, it comes while the call still runs, and the
    // client then cancels the call. No timing is asserted: 15 s only bounds a failure.
    const cancel = new AbortController();
    let reported!: () => void;
    const firstReport = new Promise<'progress'>((resolve) => (reported = () => resolve('progress')));
    const call = v1.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 20, steps: 20 } },
      undefined,
      { onprogress: () => reported(), signal: cancel.signal, timeout: 60_000 },
    );
    let bound: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      firstReport,
      call.then(
        () => 'the result',
        (err: Error) => `a failure (${err.message})`,
      ),
      new Promise<string>((resolve) => (bound = setTimeout(() => resolve('nothing within 15 s'), 15_000))),
    ]).finally(() => clearTimeout(bound));
    expect(first).toBe('progress');
    cancel.abort('seen the first report');
    await expect(call).rejects.toThrow();
  });

  it('takes a killed replica out of rotation; the 2025-11-25 session carries on without initializing again', async () => {
    const [killed, survivor] = cluster.gateways as [RunningCluster['gateways'][0], RunningCluster['gateways'][0]];
    const session = v1Transport.sessionId;
    const initializes = await requests(survivor.url, { method: 'initialize' });
    const served = await requests(survivor.url);

    process.kill(killed.pid, 'SIGKILL');
    await waitFor(
      `the balancer to drop ${killed.name}`,
      async () => (await cluster.healthyGateways()).join() === survivor.name,
      15_000,
    );

    for (let i = 0; i < 4; i++) await echo(v1, `after-kill-${i}`);
    expect((await v1.listTools()).tools.length).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) await echo(v2, `v2-after-kill-${i}`);
    expect(v1Transport.sessionId).toBe(session);
    expect(await requests(survivor.url, { method: 'initialize' })).toBe(initializes);
    expect(await requests(survivor.url)).toBeGreaterThanOrEqual(served + 4 + 1 + 2);
  }, 40_000);

  it('stops every process it started, and the ones those started', async () => {
    await Promise.all([v1, v2, legacy].map((c) => c.close()));
    // Every member leads its own process group; their children (stdio backends) are in it too.
    const groups = cluster.members.flatMap((m) => (m.pid === undefined ? [] : [m.pid]));
    const killed = cluster.gateways[0]!.pid;
    expect(processGroupMembers([killed])).toEqual([]);
    const living = processGroupMembers(groups);
    for (const pid of groups.filter((p) => p !== killed)) expect(living).toContain(pid);
    expect(living.length).toBeGreaterThan(groups.length - 1);
    expect(markedProcesses(`${MARKER_NAME}=${marker}`).length).toBeGreaterThan(0);

    await cluster.stop();
    await waitFor('every process to end', () => processGroupMembers(groups).length === 0, 5_000);
    expect(markedProcesses(`${MARKER_NAME}=${marker}`)).toEqual([]);
    expect(existsSync(cluster.workDir)).toBe(false);
    await expect(fetch(cluster.balancerUrl)).rejects.toThrow();
  }, 30_000);
});
