/**
 * What the command line of every bench script does alike:
 * - its options are parsed strictly: an unknown option, a missing value, or a value that is not
 *   what the option takes is one line naming it (exit code 2), not a stack trace;
 * - `--help` lists each option with its default and what it does;
 * - a failure while it runs is printed under the script's name, with its stack (exit code 1).
 */
import { parseArgs } from 'node:util';
import { formatDuration, parseDuration } from '@only1mcp/config';

/** One option: what `node:util` `parseArgs` takes, and what `--help` says of it. */
export interface BenchOption {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** What a string option's value is, for `--help` (`N`, `DURATION`, `DIR`…). */
  value?: string;
  /** What the option does, for `--help`. */
  help: string;
}

/** A script's command line. */
export interface BenchCommand<O extends Record<string, BenchOption>> {
  /** The script's file name without `.js` (`toolsCall`): its usage line and its errors' prefix. */
  script: string;
  /** One line on what the script does. */
  summary: string;
  options: O;
  /** The positional arguments it takes, named for the usage line (`FILE.cpuprofile`); none when absent. */
  positionals?: string;
  /** Boolean options also take `--no-NAME`. */
  allowNegative?: boolean;
}

/** The parsed values: booleans and defaulted strings always present, other strings maybe not. */
export type BenchValues<O extends Record<string, BenchOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { default: string }
      ? string
      : string | undefined;
};

/** A command line the script cannot run with: printed as it is, without a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const HELP: BenchOption = { type: 'boolean', help: 'print this list and exit' };

/** Every option `command` takes: its own and `--help`. */
const optionsOf = (command: BenchCommand<Record<string, BenchOption>>) =>
  Object.entries({ ...command.options, help: HELP });

/** The `--help` text of `command`. */
export function usage<O extends Record<string, BenchOption>>(command: BenchCommand<O>): string {
  const entries = optionsOf(command);
  const flag = (name: string, option: BenchOption) =>
    option.type === 'boolean'
      ? `--${command.allowNegative && option.default === true ? '[no-]' : ''}${name}`
      : `--${name} ${option.value ?? 'VALUE'}`;
  const width = Math.max(...entries.map(([name, option]) => flag(name, option).length));
  const line = ([name, option]: [string, BenchOption]) => {
    const fallback =
      option.default === undefined || option.default === '' || option.default === false
        ? ''
        : ` (default ${option.default === true ? 'on' : option.default})`;
    return `  ${flag(name, option).padEnd(width)}  ${option.help}${fallback}`;
  };
  const positionals = command.positionals ? ` ${command.positionals}` : '';
  return [
    `usage: node bench/dist/${command.script}.js [options]${positionals}`,
    command.summary,
    '',
    'options:',
    ...entries.map(line),
    '',
  ].join('\n');
}

/**
 * Parses `argv` as `command` says. `--help` prints the option list and exits; anything else it
 * cannot take throws a {@link UsageError} naming it.
 */
export function benchArgs<O extends Record<string, BenchOption>>(
  command: BenchCommand<O>,
  argv: string[] = process.argv.slice(2),
): { values: BenchValues<O>; positionals: string[] } {
  const options = Object.fromEntries(
    optionsOf(command).map(([name, { type, default: fallback }]) => [
      name,
      fallback === undefined ? { type } : { type, default: fallback },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: command.positionals !== undefined,
      allowNegative: command.allowNegative ?? false,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (--help lists the options)`);
  }
  if (parsed.values.help) {
    process.stdout.write(usage(command));
    process.exit(0);
  }
  return { values: parsed.values as BenchValues<O>, positionals: parsed.positionals };
}

/** `--name`'s duration in ms (`5s`, `500ms`, `2m`; a bare number is ms), at least `minMs`, or a {@link UsageError}. */
export function durationOption(name: string, text: string, minMs = 0): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${name} takes a duration such as 5s or 500ms, not "${text}"`);
  if (ms < minMs) throw new UsageError(`--${name} takes a duration of ${formatDuration(minMs)} or more, not "${text}"`);
  return ms;
}

/** `--name`'s whole number, at least `min`, or a {@link UsageError}. */
export function countOption(name: string, text: string, min = 0): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} takes a whole number${min > 0 ? ` of ${min} or more` : ''}, not "${text}"`);
  return n;
}

/**
 * Runs a script's `main`: a {@link UsageError} is printed as one line (exit code 2), any other
 * failure with its stack (exit code 1). A number `main` resolves with is the exit code; with
 * `exit`, the process ends with it at once rather than when nothing is left to run.
 */
export function runBench(script: string, main: () => Promise<number | void>, { exit = false } = {}): void {
  const end = (code: number) => {
    process.exitCode = code;
    if (exit) process.exit(code);
  };
  main().then(
    (code) => end(code ?? 0),
    (err: unknown) => {
      const message = err instanceof UsageError ? err.message : ((err as Error).stack ?? String(err));
      process.stderr.write(`bench ${script}: ${message}\n`);
      end(err instanceof UsageError ? 2 : 1);
    },
  );
}
