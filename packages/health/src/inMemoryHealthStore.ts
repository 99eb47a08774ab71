/** The single-gateway HealthStore: a map, with the same change-announcement rule as Redis. */
import type { HealthRecord } from './healthRecord';
import type { HealthListener, HealthStore } from './healthStore';
import { errorMessage, silentLogger, type Logger } from '@only1mcp/logger';

/** Keeps records in process memory; nothing expires (readers judge staleness with `isStale`). */
export class InMemoryHealthStore implements HealthStore {
  private readonly records = new Map<string, HealthRecord>();
  private readonly listeners = new Set<HealthListener>();

  constructor(private readonly logger: Logger = silentLogger) {}

  async put(record: HealthRecord): Promise<void> {
    const previous = this.records.get(record.id);
    this.records.set(record.id, record);
    if (previous?.status === record.status) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(record);
      } catch (err) {
        // One faulty listener must not stop the others or the checker that wrote the record.
        this.logger.warn('health listener failed', { id: record.id, error: errorMessage(err) });
      }
    }
  }

  async getAll(): Promise<HealthRecord[]> {
    return [...this.records.values()];
  }

  async subscribe(listener: HealthListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
