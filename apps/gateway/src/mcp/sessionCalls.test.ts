import { getEventListeners } from 'node:events';
import { cancelSessionCall, trackSessionCall, type DirectSession } from './sessionCalls';
import type { DirectRequest } from './statelessFastPath';

const session = (): DirectSession => ({ id: 's', answersInput: false, calls: new Map() });
const request = (id: number): DirectRequest => ({
  id,
  method: 'tools/call',
  handler: () => Promise.resolve({}),
  params: {},
});
const cancelled = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } });

it('cancels the call a notifications/cancelled names, and only it', () => {
  const s = session();
  const [one, two] = [trackSessionCall(s, request(1)), trackSessionCall(s, request(2))];
  expect(cancelSessionCall(cancelled(2), s)).toBe(true);
  expect([one.aborted, two.aborted]).toEqual([false, true]);
  two.done();
  expect(two.aborted).toBe(true);
  expect(cancelSessionCall(cancelled(2), s)).toBe(false); // done: no longer the session's
  one.done();
  expect(s.calls.size).toBe(0);
});

it('lets a later call reuse the signal of one that settled unaborted, and ignores a late abort of the first', () => {
  const s = session();
  const first = trackSessionCall(s, request(1));
  const signal = first.signal;
  first.done();
  const second = trackSessionCall(s, request(2));
  expect(second.signal).toBe(signal);
  first.abort(); // e.g. the first reply's connection closing after it was answered
  expect(second.aborted).toBe(false);
  expect(first.aborted).toBe(false);
  second.done();
});

it('never reuses a signal that was aborted or that still has a listener', () => {
  const s = session();
  const aborted = trackSessionCall(s, request(1));
  aborted.abort();
  aborted.done();
  const listened = trackSessionCall(s, request(2));
  listened.signal.addEventListener('abort', () => undefined);
  listened.done();
  const next = trackSessionCall(s, request(3));
  expect(next.signal).not.toBe(aborted.signal);
  expect(next.signal).not.toBe(listened.signal);
  expect(next.signal.aborted).toBe(false);
  expect(getEventListeners(next.signal, 'abort')).toHaveLength(0);
  next.done();
});
