/**
 * The parts of the tools/call benchmark (bench/src/toolsCall.ts) that decide what a figure means:
 * each target's request really succeeds against the real gateway and backend (a legacy SSE client,
 * the gateway in front of the Streamable HTTP backend, that backend alone), SSE events are parsed
 * as sent, the ratios are judged against the goals, and profiles are summed by where code lives.
 * Nothing here times anything.
 */
import { startGateway, type RunningGateway } from '@only1mcp/gateway';
import { silentLogger } from '@only1mcp/registry';
import { benchConfig, HTTP_ECHO_TOOL } from '../src/benchConfig';
import { startHttpEchoServer, type HttpEchoProcess } from '../src/httpEchoServer';
import { parseReply, parseSseEvent } from '../src/jsonRpcHttpClient';
import type { LoadResult } from '../src/loadGenerator';
import { processCpuUs } from '../src/processCpu';
import { codeOwner, selfTimes, type CpuProfile } from '../src/profileSummary';
import { formatRatios, type ModeKey, type Row } from '../src/report';
import { gatewayEnv, gatewayNodeArgs, heapSpaces } from '../src/sessions';
import { createTarget, type Target } from '../src/targets';

describe('targets against a running gateway and HTTP backend', () => {
  let echo: HttpEchoProcess;
  let gateway: RunningGateway;

  beforeAll(async () => {
    echo = await startHttpEchoServer();
    gateway = await startGateway(benchConfig({ kind: 'http', url: echo.url }), silentLogger);
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    await echo?.stop();
  });

  const callTwice = async (target: Target, clients: number) => {
    try {
      for (let client = 0; client < clients; client++) {
        await expect(target.call(client)).resolves.toBe(true);
        await expect(target.call(client)).resolves.toBe(true);
      }
    } finally {
      await target.close();
    }
  };

  it('calls the echo tool over legacy SSE, each client on its own stream', async () => {
    const sse = new URL('/sse', gateway.url).href;
    await callTwice(await createTarget({ kind: 'sse', url: sse, tool: HTTP_ECHO_TOOL.public }, 3), 3);
  });

  it('calls the echo tool with a plain POST through the gateway to the HTTP backend', async () => {
    await callTwice(
      await createTarget({ kind: 'http-plain', url: `${gateway.url}/mcp`, tool: HTTP_ECHO_TOOL.public }, 2),
      2,
    );
  });

  it('calls the echo tool as an SDK v2 client would on the current protocol (2026-07-28, stateless)', async () => {
    await callTwice(
      await createTarget({ kind: 'http-current', url: `${gateway.url}/mcp`, tool: HTTP_ECHO_TOOL.public }, 2),
      2,
    );
  });

  it('calls the HTTP backend alone as an SDK client would (stateless, SSE reply)', async () => {
    await callTwice(await createTarget({ kind: 'http-stateless', url: echo.url, tool: HTTP_ECHO_TOOL.backend }, 1), 1);
  });

  it('counts an unknown tool as a failed request, not a success', async () => {
    const sse = new URL('/sse', gateway.url).href;
    const target = await createTarget({ kind: 'sse', url: sse, tool: 'echo__missing' }, 1);
    try {
      await expect(target.call(0)).resolves.toBe(false);
    } finally {
      await target.close();
    }
  });

  it("reads the gateway's V8 heap spaces, reserved and in use, from its /metrics", async () => {
    const spaces = await heapSpaces(gateway.url);
    expect(spaces).toMatch(
      /^new \d+\.\d\/\d+\.\d, old \d+\.\d\/\d+\.\d, code \d+\.\d\/\d+\.\d, large_object \d+\.\d\/\d+\.\d$/,
    );
  });

  it('reads the CPU time of another process (the backend) from /proc', () => {
    const cpu = processCpuUs(echo.child.pid!);
    expect(Number.isFinite(cpu)).toBe(true);
    expect(cpu).toBeGreaterThan(0);
  });
});

describe('the HTTP backend wired with a server per session (--http-backend session)', () => {
  let echo: HttpEchoProcess;
  let gateway: RunningGateway;

  beforeAll(async () => {
    echo = await startHttpEchoServer('session');
    gateway = await startGateway(benchConfig({ kind: 'http', url: echo.url }), silentLogger);
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    await echo?.stop();
  });

  it('serves the gateway in front of it, and each client of its own session alone', async () => {
    for (const target of [
      await createTarget({ kind: 'http-plain', url: `${gateway.url}/mcp`, tool: HTTP_ECHO_TOOL.public }, 2),
      await createTarget({ kind: 'http-session', url: echo.url, tool: HTTP_ECHO_TOOL.backend }, 2),
    ]) {
      try {
        for (const client of [0, 1, 0]) await expect(target.call(client)).resolves.toBe(true);
      } finally {
        await target.close();
      }
    }
  });

  it('refuses a request of a session it does not know, and one without a session but initialize', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(echo.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect((await post({ 'mcp-session-id': 'nope' }, call)).status).toBe(404);
    expect((await post({}, call)).status).toBe(400);
  });
});

describe('options for the gateway processes alone', () => {
  it('splits --gateway-node-options into arguments and --gateway-env into NAME=VALUE pairs', () => {
    expect(gatewayNodeArgs(' --v8-pool-size=1  --no-maglev ')).toEqual(['--v8-pool-size=1', '--no-maglev']);
    expect(gatewayEnv('')).toEqual({});
    expect(gatewayEnv('MALLOC_ARENA_MAX=2 NODE_OPTIONS=--a=b EMPTY=')).toEqual({
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--a=b',
      EMPTY: '',
    });
    expect(() => gatewayEnv('MALLOC_ARENA_MAX')).toThrow(
      '--gateway-env takes NAME=VALUE pairs, got "MALLOC_ARENA_MAX"',
    );
    expect(() => gatewayEnv('=2')).toThrow('NAME=VALUE');
  });
});

describe('parseSseEvent and parseReply', () => {
  it('reads the event type and joins data lines; an unnamed event is a message', () => {
    expect(parseSseEvent('event: endpoint\ndata: /messages?sessionId=abc')).toEqual({
      event: 'endpoint',
      data: '/messages?sessionId=abc',
    });
    expect(parseSseEvent('id: 1\ndata:{"a":\ndata: 1}')).toEqual({ event: 'message', data: '{"a":\n1}' });
  });

  it('finds the response in an SSE body after a priming event without data', () => {
    const body = 'id: p\ndata:\n\nevent: message\ndata: {"jsonrpc":"2.0","id":4,"result":{}}\n\n';
    expect(parseReply('text/event-stream', body)).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    expect(parseReply('application/json', '{"jsonrpc":"2.0","method":"x"}')).toBeUndefined();
  });
});

describe('formatRatios', () => {
  const result = (concurrency: number, throughput: number, p50: number): LoadResult => ({
    concurrency,
    requests: 1,
    completed: 1,
    errors: 0,
    seconds: 1,
    throughput,
    p50,
    p90: p50,
    p99: p50,
    max: p50,
  });
  const row = (mode: ModeKey, concurrency: number, throughput: number, p50: number): Row => ({
    mode,
    result: result(concurrency, throughput, p50),
  });

  it('judges each gateway mode against the floor, and subtracts the backend it went to', () => {
    const text = formatRatios([
      row('floor', 1, 5000, 0.2),
      row('floor', 16, 10000, 1),
      row('plain', 1, 2000, 0.45),
      row('plain', 16, 6000, 2),
      row('plain-http', 1, 500, 1.2),
      row('plain-http', 16, 1000, 10),
      row('stdio', 1, 6000, 0.15),
      row('http', 1, 1500, 0.6),
    ]);
    expect(text).toContain(
      'gateway, plain POST, stdio backend: throughput at 16 clients = 60.0% of the floor (goal >= 50%: met)',
    );
    expect(text).toContain(
      'gateway, plain POST, stdio backend: p50 at 1 client = floor + 0.250 ms (goal < 0.3 ms: met)',
    );
    expect(text).toContain('backend over stdio (no SDK) alone is 0.150 ms, leaving 0.100 ms');
    expect(text).toContain(
      'gateway, plain POST, HTTP backend: throughput at 16 clients = 10.0% of the floor (goal >= 50%: NOT met)',
    );
    expect(text).toContain('backend over HTTP (SDK v1, alone) alone is 0.600 ms, leaving 0.400 ms');
  });

  it('bounds a mode by the CPU its processes spend per request against the floor’s, when all were measured', () => {
    const cpu = (r: Row, serverCpuUs: number, loadCpuUs: number, backendCpuUs?: number): Row => ({
      ...r,
      serverCpuUs,
      loadCpuUs,
      backendCpuUs,
    });
    const text = formatRatios([
      cpu(row('floor', 16, 10000, 1), 40, 80),
      cpu(row('plain', 16, 6000, 2), 100, 80, 60),
      cpu(row('session', 16, 5000, 2), 150, 90), // backend not measured: no bound
    ]);
    expect(text).toContain(
      'CPU per request at 16 clients: gateway 100 + backend 60 + load generator 80 = 240 µs, the floor’s 120 µs: bound by CPU alone, at most 50.0% of the floor',
    );
    expect(text.match(/CPU per request/g)).toHaveLength(1);
  });

  it('judges a mode against the floor measured beside it, with the run’s first floor in brackets', () => {
    const paired = (r: Row, pairedWith: ModeKey): Row => ({ ...r, pairedWith });
    const text = formatRatios([
      row('floor', 1, 5000, 0.2),
      row('floor', 16, 10000, 1),
      paired(row('floor', 1, 4000, 0.3), 'plain'),
      row('plain', 1, 2000, 0.55),
      paired(row('floor', 16, 8000, 1.2), 'plain'),
      row('plain', 16, 6000, 2),
      row('session', 16, 4500, 2), // no floor beside it: the run's first
    ]);
    expect(text).toContain(
      'gateway, plain POST, stdio backend: throughput at 16 clients = 75.0% of the floor measured beside it (60.0% of the run’s first) (goal >= 50%: met)',
    );
    expect(text).toContain(
      'gateway, plain POST, stdio backend: p50 at 1 client = floor + 0.250 ms (the floor measured beside it, p50 0.300 ms) (goal < 0.3 ms: met)',
    );
    expect(text).toContain(
      'gateway, 2025-11-25 session, stdio backend: throughput at 16 clients = 45.0% of the floor (goal >= 50%: NOT met)',
    );
  });
});

describe('profileSummary', () => {
  it('names the owner of a script: a package, a workspace package, a node module, or native', () => {
    expect(codeOwner('file:///w/node_modules/.pnpm/zod@4/node_modules/zod/v4/core/schemas.cjs')).toBe('pkg:zod');
    expect(codeOwner('file:///w/node_modules/.pnpm/x/node_modules/@modelcontextprotocol/client/dist/a.cjs')).toBe(
      'pkg:@modelcontextprotocol/client',
    );
    expect(codeOwner('file:///w/apps/gateway/dist/http/hotPath.js')).toBe('workspace:apps/gateway');
    expect(codeOwner('node:events')).toBe('node:events');
    expect(codeOwner('')).toBe('(native)');
  });

  it('sums self time per function and per owner, leaving idle time out of the shares', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('send', 'file:///w/apps/gateway/dist/mcp/statelessFastPath.js') },
        { id: 3, callFrame: frame('parse', 'file:///w/node_modules/zod/index.cjs') },
      ],
      samples: [1, 2, 3, 3, 1],
      timeDeltas: [5000, 1000, 1000, 2000, 5000],
    };
    const { functions, owners } = selfTimes(profile);
    expect(owners).toEqual([
      { name: 'pkg:zod', ms: 3, share: 0.75 },
      { name: 'workspace:apps/gateway', ms: 1, share: 0.25 },
    ]);
    expect(functions[0]).toMatchObject({ name: 'parse zod/index.cjs:1', ms: 3 });
  });
});
