/**
 * A real redis-server for tests ("never mock what you can run"): its own process on a free port,
 * nothing persisted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { endProcess, exited, isRunning, track } from './childProcesses';
import { onFreePort } from './freePort';

/**
 * Bounds for tests of what the gateway does while Redis is dead or frozen, where each Redis
 * command waits 50 ms at most. They tell behaviours apart, not speeds (the benchmarks measure
 * those): an operation that waited for Redis would take seconds while it is dead and forever
 * while it is frozen, so a bounded one ends within {@link REDIS_OUTAGE_BOUND_MS} even on a loaded
 * CI machine (150 ms was once exceeded there); one that did not ask Redis at all ends before the
 * 50 ms a command could wait ({@link REDIS_NOT_ASKED_BOUND_MS}).
 */
export const REDIS_OUTAGE_BOUND_MS = 1_000;
/** See {@link REDIS_OUTAGE_BOUND_MS}. */
export const REDIS_NOT_ASKED_BOUND_MS = 45;

/** A running redis-server. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Process id of the server. */
  readonly pid: number;
  /** Shuts the server down and waits for the process to end. */
  stop(): Promise<void>;
}

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** The binary; default $REDIS_SERVER_BIN, then `redis-server` on PATH. */
  binary?: string;
  /** How long to wait for PONG (default 10 s). */
  startTimeoutMs?: number;
  /** A fixed port (e.g. to bring a server back where clients already point); default a free one. */
  port?: number;
}

/** One PING over a raw socket to 127.0.0.1:`port`: true when a Redis server answered +PONG. */
export function redisAnswersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

/** How redis-server says in its log that it listens (2.x: "…now ready to accept connections on port"). */
const READY_LINE = /ready to accept connections/i;

/**
 * Whether the redis-server whose log is `log` is ready on `port`: it has said it listens, and a
 * PING there answers. Its own line as well as a PONG: when the port was taken by another Redis
 * meanwhile (a parallel test's), that one answers the PING while this one exits for want of it.
 */
export async function redisReady(port: number, log: string): Promise<boolean> {
  return READY_LINE.test(log) && (await redisAnswersPing(port));
}

/** Waits until this redis-server is ready ({@link redisReady}); fails at once, with its log, when it exits first. */
async function waitUntilAnswering(
  child: ChildProcess,
  port: number,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`redis-server exited at start: ${log().trim()}`);
    if (await redisReady(port, log())) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING within ${timeoutMs} ms: ${log().trim()}`);
}

/** redis-server's arguments for a throwaway server on 127.0.0.1:`port`: nothing persisted, in the foreground. */
export function redisServerArgs(port: number): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
}

/** Starts redis-server on a free (or the given) port of 127.0.0.1 and resolves once it is ready ({@link redisReady}). */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const start = async (port: number): Promise<RedisHandle> => {
    const child = track(spawn(binary, redisServerArgs(port), { stdio: ['ignore', 'pipe', 'pipe'] }));
    let log = '';
    const keep = (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    try {
      // A binary that cannot be run fails here, with Node's words (spawn redis-server ENOENT).
      await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      await waitUntilAnswering(child, port, options.startTimeoutMs ?? 10_000, () => log);
    } catch (err) {
      await endProcess(child, 'SIGKILL');
      throw err;
    }
    void exited(child);
    return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, stop: () => endProcess(child, 'SIGTERM') };
  };
  // A free port may be taken between choosing and binding it: redis-server then exits saying
  // "Address already in use", and onFreePort tries another.
  return options.port === undefined ? onFreePort(start) : start(options.port);
}
