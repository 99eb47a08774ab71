/** Free TCP ports for servers that tests start. */
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago. Another process may take it before it is used,
 * so callers that can should listen on port 0 instead; this is for programs that need a number.
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
