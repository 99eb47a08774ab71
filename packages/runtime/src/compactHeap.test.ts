import { getHeapSpaceStatistics } from 'node:v8';
import { compactAfterStartUp, compactHeap } from './compactHeap';

/** The young generation's reserved size, in bytes. */
const youngGeneration = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;

describe('compactHeap', () => {
  it('collects what start-up left behind, shrinking the young generation, and the process goes on', async () => {
    // Objects that survive young collections grow the young generation, as loading code does.
    let kept: unknown[] = [];
    for (let i = 0; i < 300_000; i++) kept.push({ i, text: `item ${i}`, pair: [i, i + 1] });
    kept = [];
    const grown = youngGeneration();
    const done = await compactHeap();
    expect(done).toBeDefined();
    expect(done!.ms).toBeGreaterThan(0);
    expect(done!.rssAfter).toBeGreaterThan(0);
    // V8's smallest young generation: one MiB per semi-space.
    expect(youngGeneration()).toBeLessThan(grown);
    expect(youngGeneration()).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(kept).toEqual([]);
  });

  it('after start-up, logs what the compaction gave back at debug level', async () => {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const at = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields });
    await compactAfterStartUp({ error: at, warn: at, info: at, debug: at });
    expect(lines).toEqual([
      {
        message: 'start-up memory handed back',
        fields: { pauseMs: expect.any(Number), rssBeforeMiB: expect.any(Number), rssAfterMiB: expect.any(Number) },
      },
    ]);
  });
});
