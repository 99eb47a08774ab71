/** Starting on a free port with real (tiny) Node processes: a port taken meanwhile is retried, any other failure is not. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
