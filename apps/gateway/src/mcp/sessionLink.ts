/**
 * The link from a client session to its per-session backend connections (`connection.mode:
 * per_session`): what the session can do, and where a backend's requests to the client and its
 * log messages go. While a call of the session is in flight they are sent as part of it (on a
 * 2025-11-25 HTTP session, on that call's response stream); otherwise on the session's own
 * channel (its GET stream, SSE stream or stdout). A per-session connection serves one session
 * only, so they can never reach another client.
 */
import type { Server } from '@modelcontextprotocol/server';
import type { CallingSession } from '@only1mcp/registry';

/** The parts of a handler's context a call lends to the link while it runs. */
interface CallChannel {
  send(
    request: { method: string; params?: Record<string, unknown> },
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
  notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void>;
}

/** Log levels of the protocol, least to most severe. */
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** True when a message at `level` is at or above the client's `minimum` (no minimum: everything passes). */
export function logLevelAllows(minimum: string | undefined, level: unknown): boolean {
  return minimum === undefined || LOG_LEVELS.indexOf(String(level)) >= LOG_LEVELS.indexOf(minimum);
}

/** A session's link, and how a call registers itself with it. */
export interface SessionLink {
  session: CallingSession;
  /** Marks a call as in flight; returns the function that marks it done. */
  enter(call: CallChannel): () => void;
  /** The level the client set with `logging/setLevel` (messages below it are not forwarded). */
  setLogLevel(level: string): void;
}

/** Creates the link of one session's server. */
export function createSessionLink(server: Server, key: string): SessionLink {
  const calls: CallChannel[] = [];
  let level: string | undefined;
  const current = () => calls[calls.length - 1];
  return {
    session: {
      key,
      client: {
        // Read when a connection opens: by then the client has initialized.
        get capabilities() {
          return server.getClientCapabilities() ?? {};
        },
        // The backend's cancellation (`signal`) reaches the client as notifications/cancelled.
        async request(method, params, signal) {
          const call = current();
          if (call) return (await call.send({ method, params }, { signal })) as Record<string, unknown>;
          if (method === 'roots/list') return (await server.listRoots(params, { signal })) as Record<string, unknown>;
          if (method === 'elicitation/create')
            return (await server.elicitInput(params as never, { signal })) as Record<string, unknown>;
          return (await server.createMessage(params as never, { signal })) as Record<string, unknown>;
        },
        get logLevel() {
          return level;
        },
        log(params) {
          if (!logLevelAllows(level, params.level)) return;
          const notification = { method: 'notifications/message', params };
          const call = current();
          void (call ? call.notify(notification) : server.notification(notification as never)).catch(() => undefined);
        },
      },
    },
    enter(call) {
      calls.push(call);
      return () => {
        const index = calls.lastIndexOf(call);
        if (index >= 0) calls.splice(index, 1);
      };
    },
    setLogLevel(next) {
      level = next;
    },
  };
}
