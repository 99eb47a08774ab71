/**
 * Finding every process a test started, grandchildren included, by an environment variable the
 * test passed down (`NAME=unique value`): the way to prove nothing was left behind. Linux only
 * (/proc); `PROCFS` says whether it can be used here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** True where /proc exposes process environments. */
export const PROCFS = existsSync('/proc/self/environ');

/** Pids of the processes whose environment carries `marker` (`NAME=value`). */
export function markedProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone already, or not ours.
    }
  }
  return pids;
}
