/** Which processes of given process groups are still alive (Linux /proc), to prove a cluster left nothing behind. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of living (not zombie) processes whose process group is one of `pgids`. */
export function processGroupMembers(pgids: readonly number[]): number[] {
  const wanted = new Set(pgids);
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command (which may hold spaces) : state ppid pgrp …
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && wanted.has(Number(pgrp))) members.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return members;
}
