/**
 * The in-process layer: an LRU bounded by entry count and by bytes (UTF-8 length of each value's
 * JSON; keys are not counted, the entry bound covers them). Values are kept as JSON and parsed on
 * every hit, so a caller that mutates what it got cannot change what the next caller gets.
 */
import { LRUCache } from 'lru-cache';

/** Bounds of the memory layer. */
export interface MemoryLayerOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes of JSON kept; one value over a quarter of this is not kept at all (it would evict too much). */
  maxBytes: number;
}

/** The memory layer of `TwoLayerCache`. */
export class MemoryLayer {
  private readonly lru: LRUCache<string, string>;

  constructor(options: MemoryLayerOptions) {
    if (!(Number.isInteger(options.maxEntries) && options.maxEntries > 0)) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    if (!(Number.isInteger(options.maxBytes) && options.maxBytes >= 4)) {
      throw new RangeError(`maxBytes must be an integer of at least 4, got ${options.maxBytes}`);
    }
    this.lru = new LRUCache<string, string>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      maxEntrySize: Math.floor(options.maxBytes / 4),
      sizeCalculation: (json) => Math.max(1, Buffer.byteLength(json, 'utf8')),
      // Expired entries are dropped when read or evicted; no timers.
      ttlAutopurge: false,
    });
  }

  /** The JSON stored under `key`, or undefined (absent or expired). */
  get(key: string): string | undefined {
    return this.lru.get(key);
  }

  /** Stores `json` for `ttlMs`; too large a value is not stored (and drops an older value of the key). */
  set(key: string, json: string, ttlMs: number): void {
    this.lru.set(key, json, { ttl: ttlMs });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Drops every key starting with `prefix` (a scan of all keys: invalidation is rare, lookups are not). */
  deleteByPrefix(prefix: string): void {
    for (const key of [...this.lru.keys()]) {
      if (key.startsWith(prefix)) this.lru.delete(key);
    }
  }

  /** Entry count and bytes held (expired entries not yet dropped included). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }

  clear(): void {
    this.lru.clear();
  }
}
