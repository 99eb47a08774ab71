import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pruneAbortSignalAny } from './abortSignalAny';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The source's set of dependants, where Node keeps it. */
function dependants(signal: AbortSignal): Set<unknown> {
  const key = Object.getOwnPropertySymbols(signal).find((k) => k.description === 'kDependantSignals')!;
  return (signal as unknown as Record<symbol, Set<unknown>>)[key]!;
}

/** Collects garbage, lets finalizers run and the sweep they schedule. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it('lets a long-lived source forget the composites made from it once they are collected', async () => {
  expect(pruneAbortSignalAny()).toBe(true);
  expect(pruneAbortSignalAny()).toBe(true); // once per process
  const transport = new AbortController();
  for (let i = 0; i < 5_000; i++) AbortSignal.any([transport.signal, new AbortController().signal]);
  await collect();
  expect(dependants(transport.signal).size).toBeLessThan(50);
});

it('leaves any() as it was: a live composite aborts with its source, an aborted source gives an aborted one', async () => {
  pruneAbortSignalAny();
  const transport = new AbortController();
  const request = new AbortController();
  const composite = AbortSignal.any([transport.signal, request.signal]);
  const heard: unknown[] = [];
  composite.addEventListener('abort', () => heard.push(composite.reason));
  await collect(); // a composite someone holds survives the sweep
  request.abort('request cancelled');
  expect(heard).toEqual(['request cancelled']);
  expect(AbortSignal.any([request.signal]).aborted).toBe(true);
  // Node 20 says "must be an instance of AbortSignal", Node 22 and later "is not of type AbortSignal"
  // (a TypeError of Node's realm, not the test's: toThrow(TypeError) fails under jest).
  expect(() => AbortSignal.any([{} as AbortSignal])).toThrow(/AbortSignal/);
});
