/** Helpers for tests that freeze fixture replicas and watch which ones answer. */
import type { WhoAmI } from './fixtures/fixtureTools';

/** Anything that can call a tool (either SDK generation's client). */
interface ToolCaller {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
}

/** Calls the fixture's `whoami` tool `count` times and returns the labels of the replicas that answered. */
export async function answeringLabels(client: ToolCaller, tool: string, count: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const result = (await client.callTool({ name: tool, arguments: {} })) as { content: { text: string }[] };
    seen.add((JSON.parse(result.content[0]!.text) as WhoAmI).label);
  }
  return seen;
}

/** Resumes processes a test froze with SIGSTOP (ignoring ones already gone), so they can be stopped. */
export function thaw(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
}
