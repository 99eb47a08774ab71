/**
 * The Streamable HTTP backend of the benchmarks: an SDK v1 server with one tool, `echo`, answering
 * as the reference server does (`Echo: <message>`), in one of the two wirings the SDK documents:
 *
 * - `stateless`: a new `Server` and transport per request, no session;
 * - `session`: a `Server` and transport per 2025-11-25 session, kept until the session ends (the
 *   reference server's own `streamableHttp` wiring, without its per-request logging and its event
 *   store, which keeps every event it ever sent).
 *
 * It runs in a process of its own (`node bench/dist/httpEchoServer.js [stateless|session]` prints
 * its URL), so its CPU time is never counted as the gateway's.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, isInitializeRequest, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { handle, type ChildHandle } from './sessions';
import { UsageError } from './cli';

/** The built script, whether this module runs from dist (the benchmark) or from src (jest). */
const ENTRY = join(__dirname, '..', 'dist', 'httpEchoServer.js');

const ECHO = {
  name: 'echo',
  description: 'Echoes its message.',
  inputSchema: { type: 'object' as const, properties: { message: { type: 'string' } }, required: ['message'] },
};

function echoServer(): Server {
  const server = new Server({ name: 'bench-http-echo', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [ECHO] }));
  server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: 'text', text: `Echo: ${String(request.params.arguments?.message ?? '')}` }],
  }));
  return server;
}

/** How the backend serves: a server per request, or one per session (see the file's comment). */
export type HttpEchoWiring = 'stateless' | 'session';
const HTTP_ECHO_WIRINGS: readonly HttpEchoWiring[] = ['stateless', 'session'];

/** `value` as a wiring; throws naming `what` (the option or argument it came from) and the known ones. */
export function httpEchoWiring(value: string, what: string): HttpEchoWiring {
  if ((HTTP_ECHO_WIRINGS as readonly string[]).includes(value)) return value as HttpEchoWiring;
  throw new UsageError(`${what}: ${value}; known: ${HTTP_ECHO_WIRINGS.join(', ')}`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

async function serveStateless(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Stateless: no GET stream to listen on, no session to DELETE.
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
  const body = await readJson(req);
  const server = echoServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => void Promise.allSettled([transport.close(), server.close()]));
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** The sessions of the `session` wiring, by id. */
const sessions = new Map<string, StreamableHTTPServerTransport>();

async function serveSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  const id = req.headers['mcp-session-id'];
  const known = typeof id === 'string' ? sessions.get(id) : undefined;
  if (known) return known.handleRequest(req, res, body);
  if (id !== undefined || req.method !== 'POST' || !isInitializeRequest(body)) {
    res.writeHead(id === undefined ? 400 : 404, { 'content-type': 'application/json' });
    return void res.end(
      JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'No such session' } }),
    );
  }
  const server = echoServer();
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    onsessioninitialized: (sessionId) => void sessions.set(sessionId, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** The HTTP backend running in its own process. */
export interface HttpEchoProcess extends ChildHandle {
  /** Its MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
}

/** Starts this file as a process of its own, wired as `wiring`, and resolves with its URL once it listens. */
export async function startHttpEchoServer(wiring: HttpEchoWiring = 'stateless'): Promise<HttpEchoProcess> {
  const child = spawn(process.execPath, [ENTRY, wiring], { stdio: ['ignore', 'pipe', 'inherit'] });
  const proc = handle(child);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        text += chunk;
        const line = /^(http:\S+)\n/.exec(text);
        if (line) resolve(line[1]!);
      });
      child.once('exit', (code) => reject(new Error(`HTTP echo server exited (${code}) before listening`)));
    });
    return { ...proc, url };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

if (require.main === module) {
  const wiring = httpEchoWiring(process.argv[2] ?? 'stateless', 'wiring');
  const serve = wiring === 'session' ? serveSession : serveStateless;
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
