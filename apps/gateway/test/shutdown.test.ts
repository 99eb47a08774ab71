/**
 * Graceful shutdown: a call in flight when stop() begins finishes and is answered, new requests
 * are refused, and the backend's child process is gone afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { PROCFS, markedProcesses } from '@only1mcp/test-utils';
import { startGateway } from '../src';
import { callsInFlight, untilInFlight } from './support/inFlight';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** POSTs one JSON-RPC message on `agent` (so a test can reuse a kept-alive connection). */
function post(url: string, agent: Agent, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/mcp`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('graceful shutdown', () => {
  it('finishes the call in flight, refuses new requests, and leaves no backend process', async () => {
    const marker = `SHUTDOWN_TEST=${randomUUID()}`;
    const [key, value] = marker.split('=') as [string, string];
    const parsed = ConfigSchema.parse({
      server: { shutdown_timeout: '20s' },
      servers: [
        {
          id: 'everything',
          transport: 'stdio',
          command: process.execPath,
          args: [everything, 'stdio'],
          env: { [key]: value },
        },
      ],
    });
    const gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    try {
      if (PROCFS) expect(markedProcesses(marker)).toHaveLength(1);
      // Warm a second kept-alive connection, to send on after shutdown began.
      expect((await post(gateway.url, agent, { jsonrpc: '2.0', id: 0, method: 'ping' })).status).toBe(200);

      const slow = post(gateway.url, agent, {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 2 } },
      });
      // Wait until the call is really in flight inside the gateway.
      await untilInFlight(gateway);
      expect(callsInFlight(gateway)).toBe(1);
      const stopping = gateway.stop();

      const refused = await post(gateway.url, agent, { jsonrpc: '2.0', id: 2, method: 'tools/list' }).catch(
        (err: NodeJS.ErrnoException) => ({ status: 0, body: err.code ?? '' }),
      );
      if (refused.status !== 0) {
        expect(refused.status).toBe(503);
        expect(JSON.parse(refused.body)).toMatchObject({ error: { code: -32050 } });
      } else {
        expect(refused.body).toMatch(/ECONNREFUSED|ECONNRESET/);
      }

      const answered = await slow;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toMatchObject({ id: 1, result: { content: [{ type: 'text' }] } });
      await stopping;
      if (PROCFS) {
        for (const deadline = Date.now() + 10_000; markedProcesses(marker).length > 0 && Date.now() < deadline;)
          await new Promise((r) => setTimeout(r, 100));
        expect(markedProcesses(marker)).toEqual([]);
      }
    } finally {
      agent.destroy();
      await gateway.stop();
    }
  }, 30_000);
});
