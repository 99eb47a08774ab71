/**
 * Waiting for 2025-11-25 sessions' GET streams, where notifications (list changes, resource
 * updates) travel: sent before a stream is open, they would be stored for a replay, not heard.
 */
import type { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '@only1mcp/test-utils';

/** Resolves once each client's session has a GET stream open on the gateway at `url` (its admin API). */
export async function untilStreamsOpen(url: string, ...clients: ClientV1[]): Promise<void> {
  const ids = clients.map((c) => (c.transport as TransportV1).sessionId);
  await waitFor('the sessions’ GET streams to open', async () => {
    const res = await fetch(`${url}/api/v1/admin/sessions`);
    const { sessions } = (await res.json()) as { sessions: { id: string; streams?: number }[] };
    return ids.every((id) => (sessions.find((s) => s.id === id)?.streams ?? 0) > 0);
  });
}
