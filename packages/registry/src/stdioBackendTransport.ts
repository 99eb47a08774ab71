/**
 * The SDK's stdio client transport, subclassed for two things and otherwise as it is.
 *
 * - The SDK probes the protocol generation (`server/discover`) on this process: on its own base
 *   class it probes on a sibling process that it spawns, asks and ends first, so every backend
 *   would start twice. A server that exits on that probe is connected to again without it (see
 *   SdkConnection.connect).
 * - Messages sent in one turn of the event loop reach the backend in one write: the first send of
 *   a turn corks the process's stdin and the turn's end (`setImmediate`) uncorks it. Under
 *   concurrent calls that is one system call and one wake-up of the backend for several requests
 *   instead of one each; legacy SSE at 16 clients went from ~4,400 to ~6,000 req/s and 25 % less
 *   gateway CPU per call (docs/BENCHMARKS.md, sixth pass). A lone request waits only for the
 *   rest of its turn, which does no I/O wait.
 */
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Writable } from 'node:stream';

type Message = Parameters<StdioClientTransport['send']>[0];

/** See the module comment. */
export class StdioBackendTransport extends StdioClientTransport {
  private corked = false;

  /** Sends as the SDK does, gathered with the other sends of this turn into one write. */
  override send(message: Message): Promise<void> {
    const stdin = this.stdin();
    if (stdin && !this.corked && stdin.writable) {
      this.corked = true;
      stdin.cork();
      setImmediate(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
    return super.send(message);
  }

  /**
   * The child's stdin. The SDK keeps the process in a field it does not expose; without it (a
   * later SDK renamed it) messages are written one by one, as the SDK does, and a test fails.
   */
  private stdin(): Writable | undefined {
    return (this as unknown as { _process?: { stdin?: Writable | null } })._process?.stdin ?? undefined;
  }
}
