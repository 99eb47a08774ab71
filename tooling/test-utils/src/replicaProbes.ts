/** Helpers for tests that freeze fixture replicas and watch which ones answer. */
import type { WhoAmI } from './fixtures/fixtureTools';
import { startHttpFixture, type HttpFixture } from './httpFixture';

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

/**
 * The pool the active-health tests freeze replicas of: two Streamable HTTP fixture replicas ('a',
 * 'b') of one server `pool`, and the configuration (to parse with the config schema) that probes
 * them every 200 ms, unhealthy after 2 failures, healthy after 1 success. `stop()` thaws and stops both.
 */
export async function startHealthPool(): Promise<{
  replicas: HttpFixture[];
  config: { servers: Record<string, unknown>[]; health: Record<string, unknown> };
  stop(): Promise<void>;
}> {
  const replicas = await Promise.all(['a', 'b'].map((label) => startHttpFixture({ transport: 'http', label })));
  return {
    replicas,
    config: {
      servers: [{ id: 'pool', transport: 'http', urls: replicas.map((r) => r.url), request_timeout: '2s' }],
      health: { interval: '200ms', timeout: '300ms', unhealthy_threshold: 2, healthy_threshold: 1 },
    },
    async stop() {
      thaw(replicas.map((r) => r.pid));
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}
