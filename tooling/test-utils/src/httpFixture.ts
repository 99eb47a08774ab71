/**
 * HTTP fixture MCP servers (Streamable HTTP or legacy SSE), each in its own child process so a
 * test can kill it like a crashed backend and bring it back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HTTP_FIXTURE_PATHS, type HttpFixtureTransport } from './fixtures/fixtureHttpApp';
import { endProcess, exited, track } from './childProcesses';
import { fixtureServerCommand } from './fixtureServerCommand';

/** Options for {@link startHttpFixture}. */
export interface HttpFixtureOptions {
  transport: HttpFixtureTransport;
  /** Identifies the replica in `whoami` answers. */
  label?: string;
  /** Port to listen on; by default the OS picks one (kept across restarts). */
  port?: number;
  /** Serve this many tool calls, then exit in the middle of the next one. */
  crashAfter?: number;
  /** How long to wait for the server to listen (default 10 s). */
  startTimeoutMs?: number;
}

/** A running HTTP fixture. */
export interface HttpFixture {
  /** The MCP endpoint (`/mcp` for Streamable HTTP, `/sse` for SSE). */
  readonly url: string;
  readonly port: number;
  /** Process id of the current server process (changes on restart). */
  readonly pid: number;
  /** Ends the server gracefully (SIGTERM); safe to call twice. */
  stop(): Promise<void>;
  /** Ends the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (killing it first if it still runs). */
  restart(): Promise<void>;
}

async function launch(options: HttpFixtureOptions, port: number): Promise<{ child: ChildProcess; port: number }> {
  const { command, args } = fixtureServerCommand({
    transport: options.transport,
    label: options.label,
    port,
    crashAfter: options.crashAfter,
  });
  const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  try {
    const listening = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`HTTP fixture did not listen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /^LISTENING (\d+)$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      void exited(child).then(() => {
        clearTimeout(timer);
        reject(new Error(`HTTP fixture exited before listening: ${stderr.trim()}`));
      });
    });
    return { child, port: listening };
  } catch (err) {
    await endProcess(child, 'SIGKILL');
    throw err;
  }
}

/** Starts an HTTP fixture server in a child process and waits until it listens on 127.0.0.1. */
export async function startHttpFixture(options: HttpFixtureOptions): Promise<HttpFixture> {
  const first = await launch(options, options.port ?? 0);
  const port = first.port;
  let child = first.child;
  const url = `http://127.0.0.1:${port}${HTTP_FIXTURE_PATHS[options.transport]}`;
  return {
    url,
    port,
    get pid() {
      return child.pid!;
    },
    stop: () => endProcess(child, 'SIGTERM'),
    kill: () => endProcess(child, 'SIGKILL'),
    async restart() {
      await endProcess(child, 'SIGKILL');
      ({ child } = await launch(options, port));
    },
  };
}
