/**
 * The HealthStore shared by every gateway replica. Each record is a JSON string with a TTL, so a
 * record whose checker stopped disappears (reads as unknown); status changes go out on a channel.
 * Every Redis failure is logged and absorbed: health is advisory, so it fails open.
 */
import type { Redis } from 'ioredis';
import { subscribeChannel, type ChannelSubscriber, type RedisClient } from './createRedisClient';
import { parseHealthRecord, type HealthRecord } from './healthRecord';
import type { HealthListener, HealthStore } from './healthStore';
import { errorMessage, silentLogger, type Logger } from '@only1mcp/logger';
import { createRedisKeys, type RedisKeys } from './redisKeys';

/** Options for {@link RedisHealthStore}. */
export interface RedisHealthStoreOptions {
  /**
   * Lifetime of a record. Use {@link recordTtlMs}(interval): long enough to survive a slow round
   * or a worker handover, short enough that a dead checker's verdicts vanish soon after.
   */
  ttlMs: number;
  /** Key and channel names (default prefix `only1mcp:`). */
  keys?: RedisKeys;
  logger?: Logger;
}

/** Suggested record TTL: three check intervals, so two missed rounds are tolerated. */
export function recordTtlMs(intervalMs: number): number {
  return 3 * intervalMs;
}

const SCAN_COUNT = 200;

/** HealthStore on Redis: SET PX + PUBLISH on change, SCAN + MGET to read, SUBSCRIBE to follow. */
export class RedisHealthStore implements HealthStore {
  private readonly keys: RedisKeys;
  private readonly logger: Logger;
  private readonly listeners = new Set<HealthListener>();
  private subscriber: ChannelSubscriber | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly options: RedisHealthStoreOptions,
  ) {
    this.keys = options.keys ?? createRedisKeys();
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Writes the record and publishes it when its status differs from the record it replaced (or
   * there was none). The comparison uses the value Redis held (SET … GET), not local memory, so a
   * new worker taking over the checks does not re-announce statuses nobody changed.
   */
  async put(record: HealthRecord): Promise<void> {
    const json = JSON.stringify(record);
    try {
      const previousJson = await this.client.redis.set(
        this.keys.healthRecord(record.id),
        json,
        'PX',
        this.options.ttlMs,
        'GET',
      );
      const previous = previousJson === null ? undefined : parseHealthRecord(previousJson);
      if (previous?.status === record.status) return;
      await this.client.redis.publish(this.keys.healthChanges, json);
    } catch (err) {
      this.failed('health put', err, { id: record.id });
    }
  }

  /** Every valid record; malformed values are skipped, and a Redis failure yields `[]` (all unknown). */
  async getAll(): Promise<HealthRecord[]> {
    try {
      const keys = await this.scanRecordKeys(this.client.redis);
      if (keys.length === 0) return [];
      const values = await this.client.redis.mget(...keys);
      const records: HealthRecord[] = [];
      values.forEach((value, i) => {
        if (value === null) return; // expired between SCAN and MGET
        const record = parseHealthRecord(value);
        if (record) records.push(record);
        else this.logger.debug('ignoring malformed health record', { key: keys[i] });
      });
      return records;
    } catch (err) {
      this.failed('health getAll', err);
      return [];
    }
  }

  /**
   * Follows changes over a dedicated connection (SUBSCRIBE blocks a connection). During an outage
   * it resolves at once and the subscription takes effect when Redis returns.
   */
  async subscribe(listener: HealthListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    if (!this.subscriber) await this.openSubscriber();
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.close();
  }

  private async openSubscriber(): Promise<void> {
    this.subscriber = await subscribeChannel(
      this.client,
      'health-subscriber',
      this.keys.healthChanges,
      (message) => {
        const record = parseHealthRecord(message);
        if (!record) {
          this.logger.debug('ignoring malformed health change', { channel: this.keys.healthChanges });
          return;
        }
        for (const listener of [...this.listeners]) {
          try {
            listener(record);
          } catch (err) {
            this.logger.warn('health listener failed', { id: record.id, error: errorMessage(err) });
          }
        }
      },
      (err) => this.failed('health subscribe', err),
    );
  }

  private async scanRecordKeys(redis: Redis): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', this.keys.healthRecordPattern, 'COUNT', SCAN_COUNT);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    // SCAN may return a key twice; one MGET slot per key is enough.
    return [...new Set(keys)];
  }

  /** The outage itself is logged once by the client; per-command failures only at debug then. */
  private failed(what: string, err: unknown, fields: Record<string, unknown> = {}): void {
    const level = this.client.isConnected() ? 'warn' : 'debug';
    this.logger[level](`${what} failed; continuing without shared health`, { ...fields, error: errorMessage(err) });
  }
}
