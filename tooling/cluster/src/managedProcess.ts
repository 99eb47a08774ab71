/**
 * The cluster's child processes. Each runs in its own process group, so stopping it also ends
 * whatever it started (a gateway's stdio backends), even after the leader was SIGKILLed; and a
 * Ctrl-C in the terminal reaches only the cluster, which then stops its children in order.
 * Output goes to a log file per process, whose tail is quoted when the process fails to start.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

/** Options for {@link startManagedProcess}. */
export interface ManagedProcessOptions {
  /** Shown in messages, e.g. `gateway-1`. */
  name: string;
  command: string;
  args: string[];
  /** The whole environment of the process. */
  env: NodeJS.ProcessEnv;
  /** Where stdout and stderr go (appended). */
  logFile: string;
}

/** A running child process. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has ended. */
  readonly exited: Promise<ProcessExit>;
  /** True until the process has ended. */
  running(): boolean;
  /** The last few KB of its log. */
  logTail(): string;
  /** SIGTERM, SIGKILL after `graceMs`, then SIGKILL to whatever is left of its process group. */
  stop(graceMs?: number): Promise<void>;
}

/** How long a process may take to shut down cleanly before it is killed. */
const DEFAULT_GRACE_MS = 5_000;
const LOG_TAIL_BYTES = 4_000;

/** Process groups still alive, killed if the cluster's own process exits without stopping them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is empty already.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

/** Starts `command` in its own process group with its output in `logFile`. */
export function startManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  installExitHook();
  const log = openSync(options.logFile, 'a');
  let child;
  try {
    child = spawn(options.command, options.args, { env: options.env, stdio: ['ignore', log, log], detached: true });
  } finally {
    closeSync(log);
  }
  let ended: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve((ended = { code, signal })));
    child.once('error', (error) => resolve((ended = { code: null, signal: null, error })));
  });
  const pid = child.pid ?? -1;
  if (pid > 0) {
    liveGroups.add(pid);
    void exited.then(() => {
      // The leader is gone; the rest of its group (backends it left behind) goes with it.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    });
  }

  const logTail = () => {
    try {
      return readFileSync(options.logFile, 'utf8').slice(-LOG_TAIL_BYTES);
    } catch {
      return '';
    }
  };
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    running: () => ended === undefined,
    logTail,
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (ended === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
      if (pid > 0) killGroup(pid, 'SIGKILL');
    },
  };
}

/** Describes how a process ended, with its log tail, for start-up errors. */
export function describeExit(proc: ManagedProcess, exit: ProcessExit): string {
  const how = exit.error
    ? `could not be started (${exit.error.message})`
    : `exited (${exit.signal ?? `code ${exit.code}`})`;
  const tail = proc.logTail().trim();
  // Not the log's path: a failed start removes the work directory it is in.
  return `${proc.name} ${how}${tail ? `; its log ends with:\n${tail}` : ''}`;
}
