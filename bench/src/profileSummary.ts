/**
 * The top self-time entries of a V8 `.cpuprofile` (as `node --cpu-prof` writes it), as Markdown,
 * so a profile's figures can be recorded beside the benchmark's without opening DevTools:
 *
 *   node bench/dist/profileSummary.js FILE.cpuprofile [--top 25]
 *
 * Two tables: functions by self time, and self time summed by where the code lives (a package
 * under node_modules, a workspace package, Node's own `node:` modules, or V8/native entries such
 * as `(garbage collector)` and `(program)`). `(idle)` is left out of the shares: it is time the
 * thread waited, not time spent.
 */
import { readFileSync } from 'node:fs';
import { benchArgs, countOption, runBench, UsageError, type BenchCommand, type BenchOption } from './cli';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one entry, in ms and as a share of the profile's non-idle time. */
export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a script URL's code lives: `pkg:<name>`, `workspace:<dir>`, `node:<module>`, or the URL itself. */
export function codeOwner(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const workspace = /\/(apps|packages|bench)\/([^/]+)\//.exec(url);
  return workspace ? `workspace:${workspace[1]}/${workspace[2]}` : url;
}

/** Self time by function (`name url:line`) and by {@link codeOwner}, largest first. */
export function selfTimes(profile: CpuProfile): { functions: SelfTime[]; owners: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    busyUs += us;
    const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(apps|packages|bench)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const owner = frame.url ? codeOwner(frame.url) : frame.functionName;
    owners.set(owner, (owners.get(owner) ?? 0) + us);
  });
  const sorted = (map: Map<string, number>) =>
    [...map]
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs ? us / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { functions: sorted(functions), owners: sorted(owners) };
}

const table = (title: string, rows: SelfTime[]) =>
  [
    `| ${title} | self ms | share of busy time |`,
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${(100 * r.share).toFixed(1)} % |`),
  ].join('\n');

/** The command line (`--help` prints it). */
const COMMAND = {
  script: 'profileSummary',
  summary: 'Self time by function and by package of a .cpuprofile (node --cpu-prof, or toolsCall.js --profile DIR).',
  positionals: 'FILE.cpuprofile',
  options: { top: { type: 'string', default: '25', value: 'N', help: 'rows in each table' } },
} satisfies BenchCommand<Record<string, BenchOption>>;

if (require.main === module)
  runBench(COMMAND.script, async () => {
    const { values, positionals } = benchArgs(COMMAND);
    if (positionals.length !== 1) throw new UsageError('takes one FILE.cpuprofile (--help lists the options)');
    const top = countOption('top', values.top, 1);
    const { functions, owners } = selfTimes(JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile);
    console.log(`${table('function', functions.slice(0, top))}\n\n${table('code', owners.slice(0, top))}`);
  });
