/**
 * The command an app installs: the one file its package.json `bin` names (the bundle that
 * `pnpm build` writes with only1mcp-bundle). Tests, benchmarks and the cluster run exactly what a
 * user runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace apps that install a command, and their folders. */
const APP_DIRS = {
  '@only1mcp/gateway': join('apps', 'gateway'),
  '@only1mcp/health-worker': join('apps', 'health-worker'),
} as const;

/** An app that installs a command. */
export type AppPackage = keyof typeof APP_DIRS;

/** The workspace root, from this file in tooling/test-utils/src or dist. */
const ROOT = join(__dirname, '..', '..', '..');

/** The absolute path of `pkg`'s command; throws, naming the fix, when it has not been built. */
export function appBin(pkg: AppPackage): string {
  const dir = join(ROOT, APP_DIRS[pkg]);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    bin?: Record<string, string>;
  };
  const bins = Object.values(manifest.bin ?? {});
  if (manifest.name !== pkg || bins.length !== 1) {
    throw new Error(`${join(dir, 'package.json')}: expected ${pkg} with exactly one command in "bin"`);
  }
  const file = join(dir, bins[0]!);
  if (!existsSync(file)) throw new Error(`${file} is missing: build ${pkg} first (pnpm build)`);
  return file;
}
