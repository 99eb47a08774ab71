import type { HealthRecord } from './healthRecord';
import { InMemoryHealthStore } from './inMemoryHealthStore';

const record = (status: HealthRecord['status'], lastCheck = 1): HealthRecord => ({
  id: 'a#0',
  status,
  lastCheck,
  checkedBy: 'gw-1',
});

describe('InMemoryHealthStore', () => {
  it('keeps the latest record per id and announces status changes only', async () => {
    const store = new InMemoryHealthStore();
    const seen: string[] = [];
    const unsubscribe = await store.subscribe((r) => seen.push(r.status));
    await store.put(record('healthy', 1));
    await store.put(record('healthy', 2));
    await store.put(record('unhealthy', 3));
    expect(await store.getAll()).toEqual([record('unhealthy', 3)]);
    expect(seen).toEqual(['healthy', 'unhealthy']);
    await unsubscribe();
    await store.put(record('healthy', 4));
    expect(seen).toEqual(['healthy', 'unhealthy']);
  });

  it('a throwing listener does not stop the others', async () => {
    const store = new InMemoryHealthStore();
    const seen: string[] = [];
    await store.subscribe(() => {
      throw new Error('bad listener');
    });
    await store.subscribe((r) => seen.push(r.id));
    await expect(store.put(record('healthy'))).resolves.toBeUndefined();
    expect(seen).toEqual(['a#0']);
  });
});
