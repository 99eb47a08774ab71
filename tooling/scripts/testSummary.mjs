#!/usr/bin/env node
// Adds up the totals every package's jest run wrote to .jest-results/results.json (see
// tooling/jest-preset/resultsReporter.js) and prints the one line CI reads: "N passed, N failed".
// Exits 1 when a test failed, a suite could not run, a package with tests wrote no results, or a
// package's tests left a process running (each such process counts as one failure).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

// Every workspace package: apps/*, packages/*, tooling/*, and bench (its soak test runs in CI).
const packageDirs = [];
for (const group of ['apps', 'packages', 'tooling']) {
  const groupDir = join(root, group);
  if (existsSync(groupDir)) for (const name of readdirSync(groupDir)) packageDirs.push([group, name]);
}
packageDirs.push(['.', 'bench']);

{
  for (const [group, name] of packageDirs) {
    const pkgDir = join(root, group, name);
    if (!existsSync(join(pkgDir, 'jest.config.js'))) continue;
    const file = join(pkgDir, '.jest-results', 'results.json');
    if (!existsSync(file)) {
      problems.push(`${group}/${name}: no test results (did its test run start?)`);
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    if (r.failedSuites > 0 && r.failed === 0) problems.push(`${group}/${name}: ${r.failedSuites} test file(s) failed to run`);
    for (const cmd of r.leftoverProcesses ?? []) problems.push(`${group}/${name}: a test left a process running: ${cmd}`);
  }
}

for (const p of problems) console.log(`test summary: ${p}`);
const failures = failed + problems.length;
console.log(`${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures > 0 ? 1 : 0);
