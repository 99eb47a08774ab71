/**
 * 2025-11-25 sessions put to sleep. A session costs an SDK `Server` and transport, about 15 KiB of
 * heap, for as long as it is open, and clients often leave one open and quiet (no request, no GET
 * stream) for a long time. After `server.session_hibernate_after` such a session is closed in
 * memory and kept as this small record; its next request wakes it: a new transport and server
 * take the same id and are replayed the client's `initialize` (and its log level), the way a
 * replica adopts a session another replica opened. The client sees the same session.
 *
 * A new session its client does not use sleeps soon after its handshake
 * (`server.session_hibernate_after_handshake`, 200 ms): most idle sessions never do more than the
 * handshake and their lists (answered asleep). A session that outlives a couple of V8 young GCs (a
 * fraction of a second while sessions open fast) is promoted to the old generation; once closed it
 * is garbage there until a full GC, and V8 keeps the pages it grew to: that, not the sessions
 * held, was most of the RSS per idle session (bench/src/sessions.ts). One that dies sooner is swept
 * young.
 *
 * What a woken session no longer has: replay history (`Last-Event-ID` of events older than the
 * sleep). Sessions holding what cannot be rebuilt never sleep: an open stream or request, a
 * resource subscription, a per-session backend connection.
 */

/** What a dormant session keeps. */
export interface DormantSession {
  /** The client's `initialize` request, as JSON (a string costs a third of the parsed object). */
  initialize: string;
  /** The authenticated client that opened it (with `auth`). */
  clientId?: string;
  /** The level the client set with `logging/setLevel`. */
  logLevel?: string;
  /** Taken over from another replica before it slept. */
  adopted: boolean;
  /** Its last request (ms since the epoch): a dormant session still closes when idle for `session_idle_timeout`. */
  lastSeen: number;
}

/** The client's name and version from a stored `initialize`. */
export function clientOfInitialize(initialize: string): { name: string; version: string } | undefined {
  try {
    const info = (JSON.parse(initialize) as { params?: { clientInfo?: { name?: unknown; version?: unknown } } }).params
      ?.clientInfo;
    return typeof info?.name === 'string' && typeof info.version === 'string'
      ? { name: info.name, version: info.version }
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the reaper reads of a live session: what it keeps when the session sleeps, and more. */
export interface SleepingCandidate extends DormantSession {
  id: string;
  /** Open GET streams: a client listening for notifications is not idle. */
  streams: number;
  /** Requests of the session being answered, GET streams included: a session with any is not idle. */
  active: number;
  transport: { close(): Promise<void> };
}

/** Where a replica keeps its sessions, awake and asleep, and where it says what became of them. */
export interface SessionMaps<S extends SleepingCandidate> {
  live: Map<string, S>;
  dormant: Map<string, DormantSession>;
  logger: {
    info(message: string, meta?: Record<string, unknown>): void;
    debug(message: string, meta?: Record<string, unknown>): void;
  };
}

/** Puts a live session to sleep now: it leaves `live`, its record goes to `dormant`, its transport is closed. */
export function putToSleep<S extends SleepingCandidate>(session: S, { live, dormant, logger }: SessionMaps<S>): void {
  live.delete(session.id);
  const { initialize, clientId, logLevel, adopted, lastSeen } = session;
  dormant.set(session.id, { initialize, clientId, logLevel, adopted, lastSeen });
  logger.debug('session asleep', { session: session.id });
  void session.transport.close().catch(() => undefined);
}

/** Options of {@link reapSessions}. */
export interface ReapSessionsOptions<S extends SleepingCandidate> extends SessionMaps<S> {
  /** `server.session_idle_timeout`: a session (awake or not) quiet this long is closed. */
  idleMs: number;
  /** `server.session_hibernate_after`: a session quiet this long sleeps; 0 never. */
  sleepMs: number;
  /** False for a session holding what waking could not rebuild. */
  maySleep(session: S): boolean;
}

/**
 * Closes idle sessions and puts quiet ones to sleep, every quarter of the shorter of the two
 * bounds (1 s to 60 s). A session with a request or stream open is neither. Returns the timer.
 */
export function reapSessions<S extends SleepingCandidate>(options: ReapSessionsOptions<S>): NodeJS.Timeout {
  const { live, dormant, idleMs, sleepMs, logger } = options;
  const sweep = () => {
    const now = Date.now();
    for (const [id, session] of live) {
      if (session.active > 0 || session.streams > 0) continue;
      if (session.lastSeen <= now - idleMs) {
        live.delete(id);
        logger.info('session closed: idle', { session: id, idleMs });
        void session.transport.close().catch(() => undefined);
      } else if (sleepMs > 0 && session.lastSeen <= now - sleepMs && options.maySleep(session)) {
        putToSleep(session, options);
      }
    }
    for (const [id, record] of dormant) {
      if (record.lastSeen > now - idleMs) continue;
      dormant.delete(id);
      logger.info('session closed: idle', { session: id, idleMs });
    }
  };
  const every = Math.max(1000, Math.min(60_000, (sleepMs > 0 ? Math.min(idleMs, sleepMs) : idleMs) / 4));
  const timer = setInterval(sweep, every);
  timer.unref();
  return timer;
}
