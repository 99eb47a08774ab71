#!/usr/bin/env node
// Fetches the latest release of a Node.js major line from the npm registry, where the official
// binaries are published as `node-<platform>-<arch>` packages, into .cache/node/, and prints the
// folder holding its `node` binary. `.ci/run` runs the tests again on the images' Node with it
// (the Dockerfile's NODE_IMAGE), on machines that reach the npm registry and nothing else.
//   node tooling/scripts/fetchNode.mjs 24
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const major = process.argv[2];
if (!/^\d+$/.test(major ?? '')) {
  console.error('usage: fetchNode.mjs MAJOR');
  process.exit(2);
}

function npm(args) {
  const res = spawnSync('npm', args, { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) {
    console.error(`fetchNode: npm ${args.join(' ')} failed: ${res.error?.message ?? res.stderr.trim()}`);
    process.exit(1);
  }
  return res.stdout;
}

const pkg = `node-${process.platform}-${process.arch}`;
const published = [JSON.parse(npm(['view', `${pkg}@${major}`, 'version', '--json']))].flat();
const parts = (version) => version.split('.').map(Number);
const newer = (a, b) => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
};
const version = published.reduce((best, v) => (newer(v, best) ? v : best));

const cache = join(root, '.cache', 'node');
const target = join(cache, `${pkg}-${version}`);
const bin = join(target, 'bin');
if (!existsSync(join(bin, 'node'))) {
  mkdirSync(cache, { recursive: true });
  const [{ filename }] = JSON.parse(npm(['pack', `${pkg}@${version}`, '--json', '--pack-destination', cache]));
  const unpacking = `${target}.unpacking`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking);
  const tar = spawnSync('tar', ['xzf', join(cache, filename), '-C', unpacking, '--strip-components=1']);
  rmSync(join(cache, filename), { force: true });
  if (tar.status !== 0 || !existsSync(join(unpacking, 'bin', 'node'))) {
    console.error(`fetchNode: could not unpack ${filename}: ${tar.stderr?.toString().trim()}`);
    process.exit(1);
  }
  // Renamed whole, so an interrupted fetch never leaves a half-unpacked Node to reuse.
  renameSync(unpacking, target);
}
console.log(bin);
