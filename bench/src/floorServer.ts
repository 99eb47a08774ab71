/**
 * The HTTP floor: a bare node:http server that parses a JSON-RPC `tools/call` body and answers
 * the same result the gateway returns for `everything__echo`, with no framework and no backend.
 * Nothing answering JSON-RPC over HTTP on this machine can be faster, so the gateway is
 * compared with it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening floor server. */
export interface FloorServer {
  /** The endpoint to POST to, e.g. `http://127.0.0.1:41234/mcp`. */
  url: string;
  close(): Promise<void>;
}

const json = { 'content-type': 'application/json' };

/** Starts the floor server on a free loopback port. */
export async function startFloorServer(): Promise<FloorServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let message: { id?: unknown; params?: { arguments?: { message?: unknown } } };
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof message;
      } catch {
        res.writeHead(400, json).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
        return;
      }
      const text = `Echo: ${String(message.params?.arguments?.message ?? '')}`;
      res
        .writeHead(200, json)
        .end(JSON.stringify({ jsonrpc: '2.0', id: message.id ?? null, result: { content: [{ type: 'text', text }] } }));
    });
  });
  // Same keep-alive window as Node's default for the gateway, so neither closes sockets mid-run.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
