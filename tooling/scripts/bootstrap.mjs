#!/usr/bin/env node
// The README's two commands, `npm start` and `npm test`, land here. They must work in a fresh
// clone on a machine with only Node and npm: use the pinned pnpm if it is on PATH, otherwise install
// that exact version into .cache/pnpm (no global install, no root needed), then install, build and
// start or test through it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function must(cmd, args, what) {
  const code = run(cmd, args);
  if (code !== 0) {
    console.error(`only1mcp bootstrap: ${what} failed (exit ${code})`);
    process.exit(code);
  }
}

function pnpmVersion(bin) {
  const res = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  return res.status === 0 ? res.stdout.trim() : null;
}

function findPnpm() {
  if (pnpmVersion('pnpm') === pinned) return 'pnpm';
  const local = join(root, '.cache', 'pnpm', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local) && pnpmVersion(local) === pinned) return local;
  console.error(`only1mcp bootstrap: installing pnpm ${pinned} into .cache/pnpm`);
  must('npm', ['install', '--prefix', join(root, '.cache', 'pnpm'), '--no-save', '--no-package-lock', `pnpm@${pinned}`], 'installing pnpm');
  return local;
}

/** Puts the chosen pnpm first on PATH: turbo and package scripts call `pnpm` by name. */
function exposePnpm(bin) {
  if (bin !== 'pnpm') env.PATH = `${dirname(bin)}${delimiter}${env.PATH ?? ''}`;
}

const [command, ...rest] = process.argv.slice(2);
const pnpm = findPnpm();
exposePnpm(pnpm);
must(pnpm, ['install', '--frozen-lockfile'], 'pnpm install');
must(pnpm, ['run', 'build'], 'build');

if (command === 'start') {
  const config = process.env.ONLY1MCP_CONFIG ?? join(root, 'config', 'templates', 'solo.yaml');
  process.exit(run(pnpm, ['run', 'only1mcp', 'start', '--config', config, ...rest]));
} else if (command === 'test') {
  const code = run(pnpm, ['run', 'test:turbo', '--continue', ...rest]);
  const summary = run(process.execPath, [join(root, 'tooling', 'scripts', 'testSummary.mjs')]);
  process.exit(code !== 0 ? code : summary);
} else {
  console.error('usage: bootstrap.mjs start|test [args...]');
  process.exit(2);
}
