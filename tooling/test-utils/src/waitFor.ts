/** Bounded polling for tests: a limit on how long to wait, never an assertion about speed. */

/** Polls `check` every 50 ms until it returns true; fails after `timeoutMs` (generous: these are bounds, not timings). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
