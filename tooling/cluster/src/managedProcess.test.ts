/** Child processes in their own process group: what they start ends with them, even when they are SIGKILLed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, waitFor } from '@only1mcp/test-utils';
import { startManagedProcess, type ManagedProcess } from './managedProcess';

let dir: string;
let proc: ManagedProcess | undefined;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'managed-process-test-'))));
afterAll(async () => {
  await proc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A parent that starts a long-lived child (as a gateway starts its stdio backends) and logs its pid.
const PARENT = `
const child = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('child ' + child.pid);
setInterval(() => {}, 1000);
`;

async function childOf(p: ManagedProcess): Promise<number> {
  let pid = 0;
  await waitFor('the child pid in the log', () => {
    pid = Number(/child (\d+)/.exec(p.logTail())?.[1] ?? 0);
    return pid > 0;
  });
  return pid;
}

it.each(['stop()', 'SIGKILL'])('ends the processes a child started when it ends by %s', async (how) => {
  proc = startManagedProcess({
    name: 'parent',
    command: process.execPath,
    args: ['-e', PARENT],
    env: process.env,
    logFile: join(dir, `parent-${how}.log`),
  });
  const grandchild = await childOf(proc);
  expect(processAlive(grandchild)).toBe(true);
  if (how === 'SIGKILL') process.kill(proc.pid, 'SIGKILL');
  else await proc.stop();
  await proc.exited;
  await waitFor('the grandchild to end', () => !processAlive(grandchild), 5_000);
  expect(proc.running()).toBe(false);
});

it('reports a program that cannot be started', async () => {
  const missing = startManagedProcess({
    name: 'missing',
    command: join(dir, 'no-such-program'),
    args: [],
    env: process.env,
    logFile: join(dir, 'missing.log'),
  });
  expect((await missing.exited).error).toMatchObject({ code: 'ENOENT' });
  expect(missing.running()).toBe(false);
});
