/** Free TCP ports for servers that tests start. */
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago. Another process may take it before it is used,
 * so callers that can should listen on port 0 instead; this is for programs that need a number
 * (and {@link onFreePort} tries another when the one chosen was taken).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How a failure to listen because the port is taken reads: Node's code, the OS's words, the gateway's. */
export const PORT_TAKEN = /EADDRINUSE|address already in use|port is in use/i;

/**
 * Whether `err`, or an error it was caused by, says its port was taken. Read by shape, not by
 * `instanceof Error`: under jest, Node's own errors come from another realm.
 */
export function portTaken(err: unknown): boolean {
  let e = err as Partial<NodeJS.ErrnoException> | undefined;
  // Bounded: a chain of causes may loop.
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth += 1) {
    if (e.code === 'EADDRINUSE' || (typeof e.message === 'string' && PORT_TAKEN.test(e.message))) return true;
    e = e.cause as Partial<NodeJS.ErrnoException> | undefined;
  }
  return false;
}

/**
 * Runs `start` with a free port, and again with another when that one was taken between choosing
 * and binding it (a parallel test's socket), at most `attempts` times. `start` must leave nothing
 * running when it fails, and should write the port wherever it is read from (a config file).
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= attempts || !portTaken(err)) throw err;
    }
  }
}
