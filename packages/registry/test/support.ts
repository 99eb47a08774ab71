/**
 * Helpers for the integration tests: reading the fixture's `whoami` answer, tallies, bounded polling.
 */
import type { WhoAmI } from '@only1mcp/test-utils';

export { waitFor } from '@only1mcp/test-utils';
import type { BackendCallOptions, Registry } from '../src';

/** Calls the fixture's `whoami` through the registry and parses who answered. */
export async function whoami(registry: Registry, tool: string, options?: BackendCallOptions): Promise<WhoAmI> {
  const result = (await registry.callTool({ name: tool, arguments: {} }, options)) as { content: { text: string }[] };
  return JSON.parse(result.content[0]!.text) as WhoAmI;
}

/** Counts answers per key. */
export function tally<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Runs `count` calls, `concurrency` at a time, and returns every answer in order. */
export async function repeat<T>(count: number, concurrency: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => call(start + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}
