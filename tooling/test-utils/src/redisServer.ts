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

/**
 * How redis-server says in its log that it listens (2.x: "…now ready to accept connections on
 * port"). A start waits for it as well as for a PONG: a port taken by another Redis meanwhile
 * answers PING too.
 */
export const REDIS_READY_LINE = /ready to accept connections/i;

/**
 * Waits until this redis-server has said it listens and a PING on its port answers. Its own line
 * is awaited, not only a PONG: when the port was taken by another Redis meanwhile (a parallel
 * test's), that one would answer the PING while this one exits for want of the port.
 */
async function waitUntilAnswering(
  child: ChildProcess,
  port: number,
  timeoutMs: number,
  log: () => string,
  saidReady: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`redis-server exited at start: ${log().trim()}`);
    if (saidReady() && (await redisAnswersPing(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING within ${timeoutMs} ms: ${log().trim()}`);
}

/** Starts redis-server on a free (or the given) port of 127.0.0.1 and resolves once it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const start = async (port: number): Promise<RedisHandle> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ];
    const child = track(spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let log = '';
    let ready = false;
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      ready ||= REDIS_READY_LINE.test(log);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    try {
      // A binary that cannot be run fails here, with Node's words (spawn redis-server ENOENT).
      await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      await waitUntilAnswering(
        child,
        port,
        options.startTimeoutMs ?? 10_000,
        () => log,
        () => ready,
      );
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
