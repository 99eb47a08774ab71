/**
 * Calls in flight at a gateway's backends, from its registry's replica status: what a test waits
 * for before it cancels, aborts, reloads or stops under a call, instead of a fixed delay that a
 * loaded machine may outlast before the call has even reached the backend.
 */
import { waitFor } from '@only1mcp/test-utils';
import type { RunningGateway } from '../../src';

/** Calls in flight at the backends of `gateway`. */
export function callsInFlight(gateway: RunningGateway): number {
  return gateway.registry.status().reduce((sum, s) => sum + s.replicas.reduce((n, r) => n + r.inFlight, 0), 0);
}

/** Resolves once at least `count` calls are in flight at the backends of `gateway`. */
export function untilInFlight(gateway: RunningGateway, count = 1): Promise<void> {
  return waitFor(`${count} call(s) in flight at the backends`, () => callsInFlight(gateway) >= count, 10_000);
}
