/**
 * Every Redis key and channel name this package uses, in one place. Records live under
 * `health:record:` rather than `health:` so that a SCAN for records can never match the lease key
 * (`health:lease`) or any later sibling.
 */

/** Prefix of every key when the config gives none. */
export const DEFAULT_KEY_PREFIX = 'only1mcp:';

const HEALTH_RECORD = 'health:record:';
const HEALTH_CHANGES = 'health:changes';
const HEALTH_LEASE = 'health:lease';
const SESSION = 'session:';
const SESSION_ENDED = 'session-ended';
const SESSION_OUTBOX = 'session-outbox:';
const REPLICA_INBOX = 'replica-inbox:';

/** Key and channel names under one prefix. */
export interface RedisKeys {
  readonly prefix: string;
  /** String key holding one replica's record as JSON (with a TTL). */
  healthRecord(id: string): string;
  /** SCAN MATCH pattern for every record key (prefix glob characters escaped). */
  readonly healthRecordPattern: string;
  /** Pub/sub channel on which status changes are announced. */
  readonly healthChanges: string;
  /** Key of the lease that elects the one worker running health checks. */
  readonly healthLease: string;
  /** Hash holding what any gateway replica needs to serve a 2025-11-25 session (TTL = idle timeout). */
  session(id: string): string;
  /** Pub/sub channel announcing a session's id when a client ended it (DELETE), so every replica drops it. */
  readonly sessionEnded: string;
  /** Pub/sub channel of messages for a session's client, heard by the replica holding its GET stream. */
  sessionOutbox(id: string): string;
  /** Pub/sub channel of one gateway replica: clients' answers to requests it sent, relayed by the replica that received them. */
  replicaInbox(replica: string): string;
}

/** Escapes Redis glob characters so a prefix like `app[1]:` matches itself only. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Builds the names for `prefix` (default {@link DEFAULT_KEY_PREFIX}). */
export function createRedisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    prefix,
    healthRecord: (id) => `${prefix}${HEALTH_RECORD}${id}`,
    healthRecordPattern: `${escapeGlob(prefix)}${HEALTH_RECORD}*`,
    healthChanges: `${prefix}${HEALTH_CHANGES}`,
    healthLease: `${prefix}${HEALTH_LEASE}`,
    session: (id) => `${prefix}${SESSION}${id}`,
    sessionEnded: `${prefix}${SESSION_ENDED}`,
    sessionOutbox: (id) => `${prefix}${SESSION_OUTBOX}${id}`,
    replicaInbox: (replica) => `${prefix}${REPLICA_INBOX}${replica}`,
  };
}
