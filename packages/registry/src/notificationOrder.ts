/**
 * Keeps a backend's response behind the notifications the backend sent before it.
 *
 * The SDK's client (v2 as v1: modelcontextprotocol/typescript-sdk#2580) hands a notification to
 * its handler a microtask late, but settles a response at once, and settling retires the
 * request's progress handler. When a backend's last progress notification and its result arrive
 * in one read (one stdio chunk, which is how a tool that reports its last step and then returns
 * writes them), the SDK drops that progress as "for an unknown token", and a log message tied to
 * the call reaches the gateway after the call's stream to the client has closed. Measured on the
 * reference server's `trigger-long-running-operation` over stdio: the last of two steps was lost
 * in most calls.
 *
 * So a response that arrives in the same turn of the event loop as a notification is handed on at
 * the end of that turn (`setImmediate`, after every microtask, so after the notification's
 * handlers), and whatever arrives behind it waits with it, in order. Turns without a notification
 * (every call that asked for no progress and logs nothing) pass straight through.
 */
import type { Transport } from '@modelcontextprotocol/client';

type OnMessage = NonNullable<Transport['onmessage']>;
type Delivery = Parameters<OnMessage>;

const isNotification = (message: object) => 'method' in message && !('id' in message);
const isResponse = (message: object) => !('method' in message) && 'id' in message;

/** Wraps the handler the SDK set on a connected transport (call after `client.connect`). */
export function keepResponsesBehindNotifications(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  /** A notification was handed on in this turn; its handler may not have run yet. */
  let notifiedThisTurn = false;
  /** Messages waiting for the end of the turn, oldest first (undefined: none wait). */
  let held: Delivery[] | undefined;
  const endTurn = () => {
    notifiedThisTurn = false;
  };
  const handOn = (messages: Delivery[]) => {
    for (let i = 0; i < messages.length; i++) {
      const [message, extra] = messages[i]!;
      if (notifiedThisTurn && isResponse(message)) {
        // Scheduled after endTurn, so it runs once the flag is down again.
        held = messages.slice(i);
        setImmediate(release);
        return;
      }
      if (!notifiedThisTurn && isNotification(message)) {
        notifiedThisTurn = true;
        setImmediate(endTurn);
      }
      deliver.call(transport, message, extra);
    }
  };
  const release = () => {
    const messages = held!;
    held = undefined;
    handOn(messages);
  };
  transport.onmessage = (message, extra) => {
    if (held) held.push([message, extra]);
    else handOn([[message, extra]]);
  };
}
