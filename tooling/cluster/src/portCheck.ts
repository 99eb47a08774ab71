/** Failing fast on a balancer port that is taken, before anything else starts. */
import { createServer } from 'node:net';

/** Rejects when `port` on 127.0.0.1 cannot be listened on right now (it may still be taken later). */
export function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${port} on 127.0.0.1 is in use: choose another with --port`
            : `cannot listen on 127.0.0.1:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
