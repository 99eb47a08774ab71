/** Starting on a free port with real (tiny) Node processes: a port taken meanwhile is retried, any other failure is not. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort } from '@only1mcp/test-utils';
import { startManagedProcess, type ManagedProcess } from './managedProcess';
import { answersOk, startOnFreePort, type PortStart } from './readiness';

let dir: string;
const started: ManagedProcess[] = [];
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'readiness-test-'))));
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** A Node process running `script`, ready once it answers HTTP on `port`. */
function node(port: number, script: string): PortStart {
  const proc = startManagedProcess({
    name: 'fixture',
    command: process.execPath,
    args: ['-e', script],
    env: process.env,
    logFile: join(dir, `${port}.log`),
  });
  return { proc, what: 'serving', check: () => answersOk(`http://127.0.0.1:${port}/`) };
}

const serve = (port: number) => `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;

it('starts the process again on another port when the chosen one was taken meanwhile', async () => {
  const ports: number[] = [];
  const { port } = await startOnFreePort(
    (port) => {
      ports.push(port);
      return node(port, ports.length === 1 ? "console.error('listen EADDRINUSE'); process.exit(1)" : serve(port));
    },
    (proc) => started.push(proc),
  );
  expect(ports).toHaveLength(2);
  expect(port).toBe(ports[1]);
  expect(started.map((p) => p.running())).toEqual([false, true]);
});

it('fails at once, quoting the log, when the process ends for another reason', async () => {
  let attempts = 0;
  const failing = startOnFreePort(
    (port) => {
      attempts++;
      return node(port, "console.error('bad configuration'); process.exit(3)");
    },
    (proc) => started.push(proc),
  );
  await expect(failing).rejects.toThrow(/fixture exited \(code 3\); its log ends with:\nbad configuration/);
  expect(attempts).toBe(1);
});

describe('onFreePort (test-utils), for what a test starts in its own process', () => {
  /** Listens on `port`; a second listener on it fails as a port taken meanwhile would (EADDRINUSE). */
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
    });
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('starts again on another port when the one chosen was taken meanwhile', async () => {
    const ports: number[] = [];
    const server = await onFreePort(async (port) => {
      ports.push(port);
      if (ports.length === 1) servers.push(await listen(port));
      return listen(port);
    });
    servers.push(server);
    expect(ports).toHaveLength(2);
    expect((server.address() as AddressInfo).port).toBe(ports[1]);
  });

  it('fails at once for any other failure, and after three ports taken', async () => {
    let attempts = 0;
    await expect(
      onFreePort(() => {
        attempts++;
        return Promise.reject(
          new Error('cannot listen', { cause: Object.assign(new Error('no'), { code: 'EACCES' }) }),
        );
      }),
    ).rejects.toThrow('cannot listen');
    expect(attempts).toBe(1);
    const taken = (port: number) =>
      Promise.reject(new Error(`cannot listen on 127.0.0.1:${port}: the port is in use (stop the other process)`));
    attempts = 0;
    await expect(onFreePort((port) => (attempts++, taken(port)))).rejects.toThrow('the port is in use');
    expect(attempts).toBe(3);
  });
});
