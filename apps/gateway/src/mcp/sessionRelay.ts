/**
 * Messages of a 2025-11-25 session that several gateway replicas hold (with `redis`). A client has
 * at most one GET stream, on one replica, but its POSTs may reach any replica. So:
 * - A message for the client that belongs to no request of this replica (a backend's log, a
 *   resource update, a server-to-client request outside a call) goes to the replica holding the
 *   stream when it is not here. List changes are not relayed: every replica tells its own
 *   sessions, the stream holder included.
 * - Every request this replica sends the client carries an id naming this replica
 *   (`o1m:<replica>:<id>`), so the client's answer, whichever replica it reaches, finds its way
 *   back; the id is restored before the SDK sees the answer.
 */
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { Logger } from '@only1mcp/registry';
import type { SharedSessions } from './sharedSessions';

type Message = Record<string, unknown>;
type Send = WebStandardStreamableHTTPServerTransport['send'];
type OnMessage = NonNullable<WebStandardStreamableHTTPServerTransport['onmessage']>;

const ID_PREFIX = 'o1m:';
/** Notifications every replica sends its own sessions, so relaying them would deliver them twice. */
const SENT_BY_EVERY_REPLICA = /^notifications\/(tools|prompts|resources)\/list_changed$/;

const isRequest = (m: Message) => typeof m.method === 'string' && m.id !== undefined;
const isResponse = (m: Message) => m.method === undefined && m.id !== undefined;

/** Splits a relayed request id into the replica that sent it and the SDK's own id. */
export function parseRelayedId(id: unknown): { replica: string; id: unknown } | undefined {
  if (typeof id !== 'string' || !id.startsWith(ID_PREFIX)) return undefined;
  const rest = id.slice(ID_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return { replica: rest.slice(0, colon), id: JSON.parse(rest.slice(colon + 1)) as unknown };
  } catch {
    return undefined;
  }
}

/** What other replicas hand a relayed session. */
export interface SessionRelay {
  /** A message another replica has for this session's client (this replica holds its stream). */
  toClient(message: Message): void;
  /** The client's answer to a request this replica sent, received by another replica. */
  answer(message: Message): void;
}

/**
 * Wraps a connected session transport (call after `server.connect`). `hasStream` tells whether
 * this replica holds the session's GET stream.
 */
export function relaySession(
  transport: WebStandardStreamableHTTPServerTransport,
  sessionId: string,
  shared: SharedSessions,
  hasStream: () => boolean,
  logger: Logger,
): SessionRelay {
  const send: Send = transport.send.bind(transport);
  const receive: OnMessage | undefined = transport.onmessage;
  if (!receive) throw new Error('relaySession needs a connected transport');

  transport.send = async (message, options) => {
    const out = message as Message;
    const tagged = isRequest(out) ? { ...out, id: `${ID_PREFIX}${shared.replicaId}:${JSON.stringify(out.id)}` } : out;
    if (
      options?.relatedRequestId === undefined &&
      !isResponse(tagged) &&
      !SENT_BY_EVERY_REPLICA.test(String(tagged.method)) &&
      !hasStream() &&
      (await shared.toClient(sessionId, tagged))
    )
      return;
    // Here: on a request's stream, or the GET stream this replica holds, or kept for replay when no replica has one.
    return send(tagged as never, options);
  };

  const ownAnswer = (message: Message, extra?: Parameters<OnMessage>[1]): boolean => {
    const relayed = isResponse(message) ? parseRelayedId(message.id) : undefined;
    if (!relayed) return false;
    if (relayed.replica === shared.replicaId) {
      receive({ ...message, id: relayed.id } as never, extra);
      return true;
    }
    void shared.toReplica(relayed.replica, { session: sessionId, message }).then((taken) => {
      if (!taken)
        logger.debug('dropped an answer for a replica that is gone', { session: sessionId, replica: relayed.replica });
    });
    return true;
  };
  transport.onmessage = (message, extra) => {
    if (!ownAnswer(message as Message, extra)) receive(message, extra);
  };

  return {
    toClient(message) {
      void send(message as never).catch((err: Error) =>
        logger.debug('could not deliver a relayed message', { session: sessionId, error: err.message }),
      );
    },
    answer(message) {
      if (!ownAnswer(message)) logger.debug('ignored a relayed message that is not an answer', { session: sessionId });
    },
  };
}
