/**
 * The bench scripts' command lines (bench/src/cli.ts): an option they cannot take is one line
 * naming it and exit code 2, `--help` lists every option, a failure while running is printed with
 * its stack and exit code 1. The scripts themselves are run as built (dist/), as the docs run them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  benchArgs,
  countOption,
  durationOption,
  runBench,
  usage,
  UsageError,
  type BenchCommand,
  type BenchOption,
} from '../src/cli';

const COMMAND = {
  script: 'example',
  summary: 'An example.',
  allowNegative: true,
  options: {
    duration: { type: 'string', default: '5s', value: 'DURATION', help: 'how long' },
    profile: { type: 'string', value: 'DIR', help: 'where profiles go' },
    quiet: { type: 'boolean', default: false, help: 'say less' },
    paired: { type: 'boolean', default: true, help: 'pair the cells' },
  },
} satisfies BenchCommand<Record<string, BenchOption>>;

describe('benchArgs', () => {
  it('parses the options, with their defaults', () => {
    expect(benchArgs(COMMAND, ['--duration', '2s', '--no-paired']).values).toEqual({
      duration: '2s',
      quiet: false,
      paired: false,
    });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'.*\(--help lists the options\)$/s],
    [['--duration'], /Option '--duration <value>' argument missing/],
    [['--quiet=yes'], /Option '--quiet' does not take an argument/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('refuses %j with a UsageError naming it', (argv, message) => {
    expect(() => benchArgs(COMMAND, argv)).toThrow(UsageError);
    expect(() => benchArgs(COMMAND, argv)).toThrow(message);
  });
});

describe('usage', () => {
  it('lists each option with its value, meaning and default', () => {
    const text = usage(COMMAND);
    expect(text).toMatch(/^usage: node bench\/dist\/example\.js \[options\]\nAn example\.\n/);
    expect(text).toMatch(/--duration DURATION +how long \(default 5s\)\n/);
    expect(text).toMatch(/--profile DIR +where profiles go\n/);
    expect(text).toMatch(/--quiet +say less\n/);
    expect(text).toMatch(/--\[no-\]paired +pair the cells \(default on\)\n/);
    expect(text).toMatch(/--help +print this list and exit\n/);
  });
});

describe('option values', () => {
  it('reads durations as the config does', () => {
    expect(durationOption('idle', '90s')).toBe(90_000);
    expect(durationOption('idle', '500ms')).toBe(500);
    expect(() => durationOption('idle', 'soon')).toThrow(
      new UsageError('--idle takes a duration such as 5s or 500ms, not "soon"'),
    );
    expect(durationOption('duration', '1ms', 1)).toBe(1);
    expect(() => durationOption('duration', '0s', 1)).toThrow(
      new UsageError('--duration takes a duration of 1ms or more, not "0s"'),
    );
    expect(() => durationOption('sample-every', '10ms', 1000)).toThrow(
      new UsageError('--sample-every takes a duration of 1s or more, not "10ms"'),
    );
  });

  it('reads whole numbers, at least the minimum', () => {
    expect(countOption('http', '0')).toBe(0);
    expect(countOption('samples', '50', 1)).toBe(50);
    for (const text of ['', 'ten', '1.5', '-1'])
      expect(() => countOption('http', text)).toThrow(new UsageError(`--http takes a whole number, not "${text}"`));
    expect(() => countOption('samples', '0', 1)).toThrow(
      new UsageError('--samples takes a whole number of 1 or more, not "0"'),
    );
  });
});

describe('runBench', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = undefined;
  });
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('prints a UsageError as one line, exit code 2', async () => {
    runBench('example', () => Promise.reject(new UsageError('--idle takes a duration')));
    await settled();
    expect(stderr).toHaveBeenCalledWith('bench example: --idle takes a duration\n');
    expect(process.exitCode).toBe(2);
  });

  it('prints any other failure with its stack, exit code 1', async () => {
    runBench('example', () => Promise.reject(new Error('the backend died')));
    await settled();
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^bench example: Error: the backend died\n {4}at /));
    expect(process.exitCode).toBe(1);
  });

  it('takes the exit code main resolves with, 0 when it resolves with none', async () => {
    runBench('example', () => Promise.resolve(3));
    await settled();
    expect(process.exitCode).toBe(3);
    runBench('example', () => Promise.resolve());
    await settled();
    expect(process.exitCode).toBe(0);
  });
});

describe('the scripts as built', () => {
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, [join(__dirname, '..', 'dist', `${script}.js`), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.each(['toolsCall', 'backends', 'sessions', 'soak', 'context', 'profileSummary'])(
    '%s --help lists its options and exits 0',
    (script) => {
      const { status, stdout, stderr } = run(script, ['--help']);
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      expect(stdout).toMatch(new RegExp(`^usage: node bench/dist/${script}\\.js \\[options\\]`));
      expect(stdout).toMatch(/--help +print this list and exit/);
    },
  );

  it.each([
    [
      'toolsCall',
      ['--duration', 'soon'],
      'bench toolsCall: --duration takes a duration such as 5s or 500ms, not "soon"\n',
    ],
    ['toolsCall', ['--modes', 'floor,fast'], /^bench toolsCall: --modes: unknown fast; known: floor,/],
    ['backends', ['--http', 'many'], 'bench backends: --http takes a whole number, not "many"\n'],
    ['soak', ['--durtion', '1m'], /^bench soak: Unknown option '--durtion'.*\(--help lists the options\)\n$/s],
    ['profileSummary', [], 'bench profileSummary: takes one FILE.cpuprofile (--help lists the options)\n'],
  ])('%s %j: one line naming what is wrong, exit 2, nothing started', (script, args, message) => {
    const { status, stdout, stderr } = run(script, args as string[]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    if (typeof message === 'string') expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
  });
});
