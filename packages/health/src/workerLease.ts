/**
 * Elects the one gateway replica that runs health checks, so N replicas do not probe every backend
 * N times. A lease is a key holding the holder's id with a TTL: whoever sets it first holds it and
 * must keep renewing it; if the holder dies, the key lapses and another replica takes over.
 */
import type { RedisClient } from './createRedisClient';
import { systemClock, type Clock } from './clock';
import { errorMessage, silentLogger, type Logger } from '@only1mcp/logger';
import { createRedisKeys, type RedisKeys } from './redisKeys';

// Extend or delete only while the value is still ours: a lapsed holder must never touch the lease
// that someone else has taken since.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Options for {@link WorkerLease}. */
export interface WorkerLeaseOptions {
  /** Unique per gateway process (e.g. hostname + pid + random). */
  holderId: string;
  /** Lease lifetime; the holder renews every ttl/3, so two renewals may fail before it lapses. */
  ttlMs: number;
  /** Called when this process becomes the holder. */
  onAcquired?: () => void;
  /** Called when this process stops being the holder (lost, lapsed, or released by `stop`). */
  onLost?: () => void;
  keys?: RedisKeys;
  clock?: Clock;
  logger?: Logger;
}

/** A Redis lease for the health-check worker role. */
export class WorkerLease {
  private holding = false;
  private lastConfirmed = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private tick: Promise<void> = Promise.resolve();
  private readonly key: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(
    private readonly client: RedisClient,
    private readonly options: WorkerLeaseOptions,
  ) {
    this.key = (options.keys ?? createRedisKeys()).healthLease;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** True while this process holds the lease (as far as it last confirmed). */
  get isHolder(): boolean {
    return this.holding;
  }

  /** One attempt: renew when holding, acquire otherwise. Resolves to whether we hold it now. */
  async tryAcquire(): Promise<boolean> {
    const { holderId, ttlMs } = this.options;
    try {
      if (this.holding) {
        const renewed = await this.client.redis.eval(RENEW_SCRIPT, 1, this.key, holderId, ttlMs);
        if (renewed === 1) this.confirmed();
        else this.lost('lease taken or expired');
      } else {
        const set = await this.client.redis.set(this.key, holderId, 'PX', ttlMs, 'NX');
        if (set === 'OK') this.confirmed();
      }
    } catch (err) {
      // Unreachable Redis proves nothing either way until the TTL has run out since the last
      // confirmation: by then the key has expired and someone else may hold it.
      if (this.holding && this.clock.now() - this.lastConfirmed >= ttlMs) this.lost(errorMessage(err));
      else this.logger.debug('lease attempt failed', { error: errorMessage(err) });
    }
    return this.holding;
  }

  /** Tries now, then every ttl/3 until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      this.tick = this.tryAcquire().then(() => {
        if (this.running) this.timer = setTimeout(loop, Math.max(1, Math.floor(this.options.ttlMs / 3)));
      });
    };
    loop();
  }

  /** Stops trying and releases the lease if held, so another replica can take over at once. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    await this.release();
  }

  /** Deletes the lease if it is still ours (compare-and-delete). Never throws. */
  async release(): Promise<void> {
    if (!this.holding) return;
    try {
      await this.client.redis.eval(RELEASE_SCRIPT, 1, this.key, this.options.holderId);
    } catch (err) {
      // It will lapse by itself within the TTL.
      this.logger.debug('lease release failed', { error: errorMessage(err) });
    }
    this.lost('released');
  }

  private confirmed(): void {
    this.lastConfirmed = this.clock.now();
    if (this.holding) return;
    this.holding = true;
    this.logger.info('health worker lease acquired', { holderId: this.options.holderId });
    this.notify(this.options.onAcquired);
  }

  private lost(reason: string): void {
    if (!this.holding) return;
    this.holding = false;
    this.logger.info('health worker lease lost', { holderId: this.options.holderId, reason });
    this.notify(this.options.onLost);
  }

  private notify(callback: (() => void) | undefined): void {
    try {
      callback?.();
    } catch (err) {
      this.logger.warn('lease callback failed', { error: errorMessage(err) });
    }
  }
}
