/**
 * A minimal JSON-RPC client over a backend's stdio (newline-delimited JSON, no SDK): the cost of
 * the backend itself, with nothing of the gateway's or the SDK client's in front of it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SESSION_PROTOCOL_VERSION, type JsonRpcReply } from './jsonRpcHttpClient';

/** A connected stdio backend. */
export interface StdioRpc {
  /** Sends a request and resolves with its response (result or error). */
  request(method: string, params: Record<string, unknown>): Promise<JsonRpcReply>;
  close(): Promise<void>;
}

/** Spawns `command args`, initializes it (2025-11-25) and resolves once it answered. */
export async function startStdioRpc(command: string, args: string[], timeoutMs = 10_000): Promise<StdioRpc> {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  const pending = new Map<
    number,
    { resolve: (reply: JsonRpcReply) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }
  >();
  let nextId = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: JsonRpcReply;
    try {
      message = JSON.parse(line) as JsonRpcReply;
    } catch {
      return;
    }
    // Notifications and server-to-client requests carry no id of ours; they are ignored.
    const waiter = typeof message.id === 'number' ? pending.get(message.id) : undefined;
    if (!waiter || !('result' in message || 'error' in message)) return;
    pending.delete(message.id as number);
    clearTimeout(waiter.timer);
    waiter.resolve(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('backend exited'));
    pending.clear();
  });

  const request = (method: string, params: Record<string, unknown>) =>
    new Promise<JsonRpcReply>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });

  const close = async () => {
    child.stdin.end();
    child.kill();
    await exited;
  };
  try {
    const init = await request('initialize', {
      protocolVersion: SESSION_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'only1mcp-bench', version: '0.0.0' },
    });
    if (init.error) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  } catch (err) {
    await close();
    throw err;
  }
  return { request, close };
}
