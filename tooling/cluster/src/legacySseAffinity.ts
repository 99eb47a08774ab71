/**
 * Sticky routing for legacy HTTP+SSE (2024-11-05) behind the Node balancer. Those sessions are
 * not shared through Redis: only the replica serving a client's `GET /sse` stream knows its
 * session, so `POST /messages?sessionId=X` must reach that replica. The balancer reads the
 * stream's first event (`endpoint`, naming the session) as it passes through and remembers the
 * replica until the stream closes.
 */
import type { Readable } from 'node:stream';
import { LEGACY_SESSION_PARAM } from './gatewayPaths';

/** The `endpoint` event the gateway sends first on a legacy stream. */
const ENDPOINT_EVENT = /event: endpoint\r?\ndata: ([^\r\n]+)\r?\n/;
/** The endpoint event comes first; a stream that has not sent it by then never will. */
const MAX_SNIFFED_CHARS = 8_192;

function sessionIdOf(pathAndQuery: string): string | undefined {
  try {
    return new URL(pathAndQuery, 'http://balancer').searchParams.get(LEGACY_SESSION_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Legacy session id → the replica that holds its stream. */
export class LegacySseAffinity {
  private readonly owners = new Map<string, string>();

  /** Watches a `/sse` response (while it is piped to the client) for the session it announces. */
  watch(stream: Readable, upstream: string): void {
    let text = '';
    let sessionId: string | undefined;
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = ENDPOINT_EVENT.exec(text);
      if (match) {
        sessionId = sessionIdOf(match[1]!);
        if (sessionId) this.owners.set(sessionId, upstream);
      }
      if (match || text.length > MAX_SNIFFED_CHARS) stream.off('data', onData);
    };
    stream.on('data', onData);
    stream.once('close', () => {
      if (sessionId && this.owners.get(sessionId) === upstream) this.owners.delete(sessionId);
    });
  }

  /** The replica holding the session that `POST /messages?sessionId=…` names, when known. */
  ownerOf(pathAndQuery: string): string | undefined {
    const sessionId = sessionIdOf(pathAndQuery);
    return sessionId ? this.owners.get(sessionId) : undefined;
  }

  /** How many legacy streams are open through the balancer. */
  get size(): number {
    return this.owners.size;
  }
}
