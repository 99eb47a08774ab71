/**
 * A redis-server on a port chosen by the test: `startRedis()` from test-utils always picks a fresh
 * port, and a reconnect test needs the server back where the client is already pointed.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { endProcess, waitFor } from '@only1mcp/test-utils';

/** One PING over a raw socket. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => finish(chunk.toString('latin1').startsWith('+PONG')));
  });
}

/** Starts redis-server on `port` and resolves once it answers; `stop()` ends it. */
export async function startRedisOnPort(port: number): Promise<{ stop(): Promise<void> }> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, args, { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await endProcess(child, 'SIGTERM');
  };
  try {
    await waitFor(`redis-server on port ${port}`, () => answersPing(port), 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}
