import { StartGate } from './startGate';

/** A task that runs until `finish()` is called. */
function pending<T>(value: T) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, task: () => done.then(() => value) };
}

describe('StartGate', () => {
  it('runs at most `limit` tasks at once, then the waiting ones in order', async () => {
    const gate = new StartGate(2);
    const tasks = [pending('a'), pending('b'), pending('c'), pending('d')];
    const order: string[] = [];
    const runs = tasks.map((t) => gate.run(t.task).then((v) => order.push(v)));
    await Promise.resolve();
    expect([gate.active, gate.waiting]).toEqual([2, 2]);
    tasks[1]!.finish();
    tasks[3]!.finish();
    await runs[1];
    // b's turn goes to c, the first in line.
    expect([gate.active, gate.waiting]).toEqual([2, 1]);
    tasks[0]!.finish();
    tasks[2]!.finish();
    await Promise.all(runs);
    expect(order).toEqual(['b', 'a', 'c', 'd']);
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('frees the turn of a task that fails', async () => {
    const gate = new StartGate(1);
    await expect(gate.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
    expect(gate.active).toBe(0);
  });

  it('refuses a limit that would never run anything', () => {
    expect(() => new StartGate(0)).toThrow(RangeError);
  });
});
