/**
 * The Node balancer in front of small node:http replicas (real servers on free ports): round
 * robin, health checks, retries on refused connections, SSE streamed event by event, legacy SSE
 * kept sticky, and clients or replicas hanging up mid-stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@only1mcp/test-utils';
import type { Balancer } from './balancer';
import { startNodeBalancer } from './nodeBalancer';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Replica {
  name: string;
  url: string;
  ready: boolean;
  seen: Seen[];
  /** Requests to paths other than /ready go here once recorded. */
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  server: Server;
}

const answerJson = (name: string) => (_req: IncomingMessage, res: ServerResponse, body: string) =>
  res.writeHead(200, { 'content-type': 'application/json', 'x-replica': name }).end(JSON.stringify({ name, body }));

async function startReplica(name: string): Promise<Replica> {
  const server = createServer((req, res) => {
    if (req.url === '/ready') return void res.writeHead(replica.ready ? 200 : 503).end();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      replica.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      replica.handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const replica: Replica = { name, url, ready: true, seen: [], handle: answerJson(name), server };
  return replica;
}

/** Sends one request and resolves with the response once its headers arrived. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, resolve);
    req.on('error', reject);
    req.end(options.body);
  });
}

function text(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (out += chunk));
    res.on('end', () => resolve(out));
    res.on('error', reject);
  });
}

/** Resolves with the stream's text once it contains `marker`. */
function readUntil(res: IncomingMessage, marker: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    res.setEncoding('utf8');
    const onData = (chunk: string) => {
      out += chunk;
      if (out.includes(marker)) {
        res.off('data', onData);
        resolve(out);
      }
    };
    res.on('data', onData);
  });
}

let replicas: Replica[];
let balancer: Balancer;
let workDir: string;

beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'node-balancer-test-'));
  replicas = await Promise.all(['a', 'b'].map(startReplica));
  balancer = await startNodeBalancer({
    port: 0,
    upstreams: replicas.map((r) => ({ name: r.name, url: r.url })),
    checkIntervalMs: 100,
    workDir,
    env: process.env,
  });
});

afterEach(async () => {
  await balancer.stop();
  for (const r of replicas) {
    r.server.closeAllConnections();
    await new Promise((resolve) => r.server.close(resolve));
  }
  rmSync(workDir, { recursive: true, force: true });
});

it('takes turns over the ready replicas, forwarding method, path, body and every header', async () => {
  const answered: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await send(`${balancer.url}/mcp?x=${i}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mcp-session-id': 's-1', 'last-event-id': 'e-7' },
      body: `{"n":${i}}`,
    });
    answered.push(res.headers['x-replica'] as string);
    expect(JSON.parse(await text(res))).toMatchObject({ body: `{"n":${i}}` });
  }
  expect(answered).toEqual(['a', 'b', 'a', 'b']);
  const seen = replicas[0]!.seen[0]!;
  expect(seen).toMatchObject({ method: 'POST', url: '/mcp?x=0' });
  expect(seen.headers).toMatchObject({
    'mcp-session-id': 's-1',
    'last-event-id': 'e-7',
    'x-forwarded-for': '127.0.0.1',
  });
  expect(seen.headers.host).toBe(new URL(balancer.url).host);
});

it('takes a replica out when /ready fails and answers 503 JSON when none is ready', async () => {
  replicas[1]!.ready = false;
  await waitFor('b out of rotation', async () => (await balancer.healthyUpstreams()).join() === 'a');
  for (let i = 0; i < 3; i++) expect((await send(`${balancer.url}/mcp`)).headers['x-replica']).toBe('a');

  replicas[0]!.ready = false;
  await waitFor('no replica in rotation', async () => (await balancer.healthyUpstreams()).length === 0);
  const res = await send(`${balancer.url}/mcp`, { method: 'POST', body: '{}' });
  expect(res.statusCode).toBe(503);
  expect(res.headers['content-type']).toBe('application/json');
  expect(JSON.parse(await text(res))).toMatchObject({ jsonrpc: '2.0', error: { code: -32010 } });

  replicas[0]!.ready = true;
  await waitFor('a back in rotation', async () => (await balancer.healthyUpstreams()).join() === 'a');
});

it('sends a request a replica refused to another one at once, and 502 when every replica refuses', async () => {
  const b = replicas[1]!;
  b.server.closeAllConnections();
  await new Promise((resolve) => b.server.close(resolve));
  for (let i = 0; i < 4; i++) {
    const res = await send(`${balancer.url}/mcp`, { method: 'POST', body: `{"n":${i}}` });
    expect(res.headers['x-replica']).toBe('a');
    expect(JSON.parse(await text(res))).toMatchObject({ body: `{"n":${i}}` });
  }
  expect(await balancer.healthyUpstreams()).toEqual(['a']);
  b.server.listen(Number(new URL(b.url).port), '127.0.0.1');

  const a = replicas[0]!;
  a.server.closeAllConnections();
  await new Promise((resolve) => a.server.close(resolve));
  await waitFor('b back, a out', async () => (await balancer.healthyUpstreams()).join() === 'b');
  b.server.closeAllConnections();
  await new Promise((resolve) => b.server.close(resolve));
  const res = await send(`${balancer.url}/mcp`, { method: 'POST', body: '{}' });
  expect(res.statusCode).toBe(502);
  expect(JSON.parse(await text(res))).toMatchObject({ error: { code: -32010 } });
  // afterEach closes them again.
  a.server.listen(0, '127.0.0.1');
  b.server.listen(0, '127.0.0.1');
});

it('streams SSE event by event', async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  for (const r of replicas) {
    r.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('id: 1\ndata: first\n\n');
      void released.then(() => res.end('id: 2\ndata: second\n\n'));
    };
  }
  const res = await send(`${balancer.url}/mcp`, { headers: { accept: 'text/event-stream' } });
  expect(res.headers['content-type']).toBe('text/event-stream');
  // The replica holds the second event back until the first has reached the client.
  expect(await readUntil(res, 'data: first\n\n')).toBe('id: 1\ndata: first\n\n');
  release();
  expect(await text(res)).toBe('id: 2\ndata: second\n\n');
});

it('survives a client and a replica hanging up mid-stream', async () => {
  const closed: string[] = [];
  for (const r of replicas) {
    r.handle = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: hello\n\n');
      res.on('close', () => closed.push(r.name));
      if (req.url === '/die') setTimeout(() => res.socket?.destroy(), 20);
    };
  }
  // The client goes away: the replica's response is closed too.
  const first = await send(`${balancer.url}/stream`);
  await readUntil(first, 'hello');
  first.destroy();
  await waitFor('the replica to see the client leave', () => closed.includes('a'));

  // The replica goes away: the client's response ends early.
  const second = await send(`${balancer.url}/die`);
  await expect(
    new Promise((resolve, reject) => {
      second.on('error', reject);
      second.on('close', () => (second.complete ? resolve('complete') : reject(new Error('cut short'))));
      second.resume();
    }),
  ).rejects.toThrow();

  for (const r of replicas) r.handle = answerJson(r.name);
  expect((await send(`${balancer.url}/mcp`)).statusCode).toBe(200);
});

it('keeps legacy SSE sticky: /messages?sessionId=X reaches the replica whose /sse announced X', async () => {
  for (const r of replicas) {
    r.handle = (req, res) => {
      if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: endpoint\ndata: /messages?sessionId=${r.name}-session\n\n`);
      } else res.writeHead(202).end();
    };
  }
  const streams = [await send(`${balancer.url}/sse`), await send(`${balancer.url}/sse`)];
  const endpoints = await Promise.all(
    streams.map(async (s) => /data: (\S+)/.exec(await readUntil(s, 'session\n\n'))![1]!),
  );
  expect(endpoints.sort()).toEqual(['/messages?sessionId=a-session', '/messages?sessionId=b-session']);
  // Three in a row per session: round robin alone would split them.
  for (const endpoint of endpoints)
    for (let i = 0; i < 3; i++)
      expect((await send(`${balancer.url}${endpoint}`, { method: 'POST', body: '{}' })).statusCode).toBe(202);
  for (const r of replicas) {
    const posts = r.seen.filter((s) => s.method === 'POST').map((s) => s.url);
    expect(posts).toEqual(Array(3).fill(`/messages?sessionId=${r.name}-session`));
  }
  for (const s of streams) s.destroy();
});
