/**
 * A bounded in-memory EventStore for one 2025-11-25 session, so a client that lost its SSE stream
 * reconnects with `Last-Event-ID` and gets what it missed. Bounded by count: a client that stays
 * away for more than {@link SESSION_EVENT_HISTORY} events misses the oldest, rather than letting
 * one absent client grow the gateway's memory without limit. Sessions shared across replicas
 * (issue 4/8) will replace this with a Redis-backed store behind the same interface.
 */
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/** How many events one session keeps for replay. */
export const SESSION_EVENT_HISTORY = 1000;

interface StoredEvent {
  seq: number;
  streamId: string;
  message: JSONRPCMessage;
}

/** Event ids are `<streamId>.<seq>`; the sequence is per session and only grows. */
function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const dot = eventId.lastIndexOf('.');
  const seq = Number(eventId.slice(dot + 1));
  return dot > 0 && Number.isSafeInteger(seq) ? { streamId: eventId.slice(0, dot), seq } : undefined;
}

/** One session's recent events, oldest first. */
export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private seq = 0;

  constructor(private readonly capacity = SESSION_EVENT_HISTORY) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.seq += 1;
    this.events.push({ seq: this.seq, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return `${streamId}.${this.seq}`;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return parseEventId(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = parseEventId(lastEventId);
    if (!last) throw new Error(`Unknown event id: ${lastEventId}`);
    for (const event of this.events) {
      if (event.streamId === last.streamId && event.seq > last.seq)
        await send(`${event.streamId}.${event.seq}`, event.message);
    }
    return last.streamId;
  }
}
