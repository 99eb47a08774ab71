/**
 * CPU time of another process, so a server running in a process of its own (the gateway, the HTTP
 * backend) gets the same "server CPU µs/req" figure as one in this process (`process.cpuUsage`).
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ (`getconf CLK_TCK`): /proc counts CPU time in these ticks, 100 on every Linux port. */
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU time of process `pid` (all its threads), in µs, from /proc/<pid>/stat. Its
 * resolution is one tick (10 ms), well under 1 % of a benchmark cell's seconds of CPU time.
 */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

/**
 * CPU time the whole machine has spent busy (every process, every core: user, nice, system, irq,
 * softirq, steal) in µs, from /proc/stat: what a start-up that many processes share costs in all.
 */
export function machineBusyUs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1e6) / TICKS_PER_SECOND;
}
