/** Telling a connected client which aggregated lists changed, on any front. */
import type { Server } from '@modelcontextprotocol/server';
import type { ChangedList } from '@only1mcp/registry';

/**
 * Sends `notifications/<list>/list_changed` for each changed list on one client's server. On a
 * 2025-11-25 HTTP session it is delivered on the session's GET stream (and kept in its event
 * store for replay); a client with no stream open learns of it when it resumes.
 */
export function sendListChanged(server: Server, changed: readonly ChangedList[]): void {
  const send = {
    tools: () => server.sendToolListChanged(),
    prompts: () => server.sendPromptListChanged(),
    resources: () => server.sendResourceListChanged(),
  };
  // A client that went away meanwhile is not an error worth more than ignoring.
  for (const list of changed) void send[list]().catch(() => undefined);
}
