import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { machineSpareCpu, parseProcStat, StartGate } from './startGate';

/** A task that runs until `finish()` is called. */
function pending<T>(value: T) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, task: () => done.then(() => value) };
}

describe('StartGate', () => {
  it('runs at most `limit` tasks at once, then the waiting ones in order', async () => {
    const gate = new StartGate(2, { spareCpu: false });
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
    const gate = new StartGate(1, { spareCpu: false });
    await expect(gate.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
    expect(gate.active).toBe(0);
  });

  it('refuses a limit that would never run anything', () => {
    expect(() => new StartGate(0)).toThrow(RangeError);
  });

  describe('while the machine has CPU to spare', () => {
    /** A gate of limit 1 whose sampler reports `spare()` cores idle, read every 5 ms. */
    function gateWith(spare: () => number) {
      const reads: number[] = [];
      const gate = new StartGate(1, {
        intervalMs: 5,
        spareCpu: () => {
          const value = spare();
          reads.push(value);
          return value;
        },
      });
      return { gate, reads };
    }
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    it('lets waiting starts in beyond the limit, one for each half core idle', async () => {
      const { gate, reads } = gateWith(() => 1); // one core idle: two more per interval
      const tasks = [pending(1), pending(2), pending(3), pending(4)];
      const runs = tasks.map((t) => gate.run(t.task));
      expect([gate.active, gate.waiting]).toEqual([1, 3]);
      await until(() => gate.waiting === 0);
      expect(gate.active).toBe(4);
      expect(gate.admittedBeyondLimit).toBe(3);
      // Nobody waits: the sampling stops.
      const readsThen = reads.length;
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(reads.length).toBe(readsThen);
      for (const t of tasks) t.finish();
      await expect(Promise.all(runs)).resolves.toEqual([1, 2, 3, 4]);
      expect(gate.active).toBe(0);
    });

    it('holds to the limit while less than half a core is idle', async () => {
      const { gate, reads } = gateWith(() => 0.4);
      const tasks = [pending('a'), pending('b')];
      const runs = tasks.map((t) => gate.run(t.task));
      await until(() => reads.length >= 5);
      expect([gate.active, gate.waiting, gate.admittedBeyondLimit]).toEqual([1, 1, 0]);
      tasks[0]!.finish();
      await runs[0];
      expect([gate.active, gate.waiting]).toEqual([1, 0]);
      tasks[1]!.finish();
      await runs[1];
    });

    it('does not hand a finished turn on while more than the limit run', async () => {
      let spare = 1;
      const { gate } = gateWith(() => spare);
      const tasks = [pending('a'), pending('b'), pending('c'), pending('d'), pending('e')];
      const runs = tasks.map((t) => gate.run(t.task));
      await until(() => gate.active === 3); // a, then b and c on spare CPU
      spare = 0;
      tasks[0]!.finish();
      await runs[0];
      // Two still run, the limit is one: d waits.
      expect([gate.active, gate.waiting]).toEqual([2, 2]);
      tasks[1]!.finish();
      tasks[2]!.finish();
      await Promise.all(runs.slice(1, 3));
      // Down to none: d takes the one turn.
      expect([gate.active, gate.waiting]).toEqual([1, 1]);
      tasks[3]!.finish();
      tasks[4]!.finish();
      await Promise.all(runs);
      expect(gate.active).toBe(0);
    });
  });

  it("reads the machine's idle time as cores' worth, between none and all of them", async () => {
    const sample = machineSpareCpu();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spare = sample();
    expect(spare).toBeGreaterThanOrEqual(0);
    expect(spare).toBeLessThanOrEqual(cpus().length);
  });

  it("reads Linux's /proc/stat as os.cpus() does: user, nice, system, idle and interrupt time, and the cores", () => {
    const text = [
      'cpu  78144 5 26926 486232 466 7 2825 0 0 0',
      'cpu0 39518 2 13075 244255 30 3 1345 0 0 0',
      'cpu1 38626 3 13851 241977 436 4 1480 0 0 0',
      'intr 123 0 0',
      'ctxt 456',
    ].join('\n');
    expect(parseProcStat(text)).toEqual({ idle: 486232, all: 78144 + 5 + 26926 + 486232 + 7, cores: 2 });
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('intr 1 2\ncpu  1 2 3 4 5 6')).toBeUndefined();
    // This machine's, where it has one: the cores os.cpus() lists.
    let proc: string | undefined;
    try {
      proc = readFileSync('/proc/stat', 'latin1');
    } catch {
      return;
    }
    expect(parseProcStat(proc)?.cores).toBe(cpus().length);
  });
});
