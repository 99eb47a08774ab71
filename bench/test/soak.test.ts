/**
 * The soak run, short (issue 8/8), in CI: the same run as `node bench/dist/soak.js` (bench/src/soak.ts),
 * ~22 s of mixed traffic (SDK v1 sessions, SDK v2 current-protocol clients and plain stateless
 * POSTs) while one replica of a
 * two-replica stdio backend is SIGKILLed every 5 s and the config rewritten and reloaded every
 * 8 s. No idempotent request may fail; a tools/call may fail only as a backend that went away
 * mid-call; afterwards no fixture process, listener or socket is left. The heap trend is bounded
 * loosely: 16 s of samples cannot tell a one-time step (~5 MB at the first restart or reload)
 * from a leak, so the bound (100 MB/min, ~9 KB per request at this rate) only catches gross
 * leaks; the trend that matters comes from the long run.
 */
import { formatSoakReport, runSoak, soakPassed } from '../src/soak';

it('serves mixed traffic through replica kills and reloads without failing an idempotent request, and leaves nothing behind', async () => {
  const report = await runSoak({
    durationMs: 22_000,
    killEveryMs: 5_000,
    reloadEveryMs: 8_000,
    sampleEveryMs: 1_000,
    warmUpMs: 6_000,
  });
  console.log(formatSoakReport(report));
  expect(report.kills).toBeGreaterThanOrEqual(3);
  expect(report.reloads).toBeGreaterThanOrEqual(2);
  expect(report.tally.idempotentFailures).toBe(0);
  expect(report.tally.errors).toEqual([]);
  expect(report.reloadProblems).toEqual([]);
  expect(report.leftover).toEqual([]);
  expect(report.portFree).toBe(true);
  expect(report.serversAfter).toBe(report.serversBefore);
  expect(report.heapTrend).toBeLessThan(100);
  expect(soakPassed(report)).toBe(true);
}, 60_000);
