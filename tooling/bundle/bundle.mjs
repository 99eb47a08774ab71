#!/usr/bin/env node
// only1mcp-bundle <entry>: run in an app's folder after `tsc`, it bundles the built entry point
// (e.g. dist/cli/main.js) and every module it loads into the one file the app's package.json `bin`
// names, so the installed command starts by loading one file instead of ~650 CommonJS files and
// ~650 ES modules: ~0.25 s (29 %) less start-up CPU and 2-6 MiB less memory (docs/BENCHMARKS.md,
// thirteenth pass).
//
// - Input is the tsc output, so the bundle runs the code the unit tests ran; esbuild follows the
//   inputs' source maps, and dist/<bin>.map maps a stack trace back to src/*.ts when Node runs
//   with --enable-source-maps.
// - Libraries only some configurations load stay outside, loaded from node_modules on demand as
//   before: their text would otherwise sit in every gateway's heap. Each one the bundle loads must
//   be in the app's own `dependencies`, or a deployed app (pnpm deploy, the images) cannot find it
//   (under pnpm's scripts NODE_PATH finds it anyway, which hides the mistake): the build checks.
//   And they are all its `dependencies` hold: whatever the bundle holds itself (express, the SDK,
//   the workspace packages…) is a devDependency, so `pnpm deploy --prod` leaves it out of the
//   images (the gateway's deployed folder: 37 MB, 93 MB before).
// - Only whitespace and syntax are minified: identifiers keep their names, so stack traces and
//   logs stay readable (esbuild renames one only where two modules' top-level names collide, e.g.
//   `Client2`). Not `keepNames`: it wraps every function and class in a `__name()` call, paid again
//   for each closure made per request (~10 % more gateway CPU per call at one client, measured).
// - The output must be ASCII: V8 holds a script's source for the process's life, and one non-ASCII
//   character makes it a two-byte string, twice the memory. For the same reason, modules no code
//   path can run are left out, and some the apps seldom run are loaded late (STUBBED, below).
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loaded only when a configuration asks for them: Redis, JWT auth, token counting (context). */
const LOADED_ON_DEMAND = ['ioredis', 'jose', 'gpt-tokenizer'];

/**
 * Modules the bundle replaces with a stub (`stub`), for one of two reasons:
 * - No code path of the apps can run them: they are left out. A module's source is a string V8
 *   keeps on the heap for the process's life, a byte a character, run or not (docs/BENCHMARKS.md,
 *   sixteenth pass).
 * - The apps seldom run them but a library loads them at load: the stub loads them when first used.
 *
 * `file` is matched against the module's path inside node_modules, and the build fails when the
 * bundle holds the entry's package but `file` matched nothing in it (a library moved it: look again
 * whether it can run). A stub standing for a module the apps still use names the module's
 * `exports`: the build fails when the module's own exports are not the same names (a library
 * changed it: write the stub again).
 *
 * - iconv-lite's single- and double-byte charset tables (~450 KiB). Only raw-body uses iconv-lite,
 *   for `express.json()`, which answers 415 to any charset but `utf-*` before it decodes; the UTF
 *   codecs stay. The single-byte tables are read when iconv-lite first loads its codecs (for UTF-8
 *   too), so that stub is empty: iconv-lite no longer knows those charsets, as `express.json()`
 *   never asks it for them. A double-byte table is only `require`d when its charset is decoded,
 *   so those stubs throw.
 * - zod's locales but English (~360 KiB, every one run at load): zod sets English itself, and no
 *   code here or in the libraries bundled asks for another (`z.locales.xx`).
 * - Loaded late: the MCP SDK's Node shims, which load ajv at load (each SDK package bundles a copy
 *   of it; ~0.9 MiB of heap for the two) as the default JSON Schema validator of every `Client` and
 *   `Server`. The gateway gives its clients and servers a validator that loads ajv when a schema is
 *   first checked (LateAjvValidator in @only1mcp/registry); these stubs load a shim's ajv when its
 *   default validator is first asked for, which then never happens.
 */
/** An MCP SDK package's own ajv validator, as its Node shim exports it, loaded when first read. */
const SDK_SHIM_AJV = 'require("./validators/ajv.cjs").AjvJsonSchemaValidator';

const STUBBED = [
  {
    pkg: 'iconv-lite',
    file: /^iconv-lite\/encodings\/tables\/[\w-]+\.json$/,
    stub: (path) =>
      `throw new Error(${JSON.stringify(`only1mcp-bundle left iconv-lite's ${path} out: the apps decode UTF-* alone`)});`,
  },
  { pkg: 'iconv-lite', file: /^iconv-lite\/encodings\/sbcs-data-generated\.js$/, stub: () => 'module.exports = {};' },
  {
    pkg: 'zod',
    file: /^zod\/v4\/locales\/index\.cjs$/,
    stub: () =>
      '"use strict";Object.defineProperty(exports,"__esModule",{value:true});exports.en=require("./en.cjs").default;',
  },
  {
    pkg: '@modelcontextprotocol/server',
    file: /^@modelcontextprotocol\/server\/dist\/shimsNode\.cjs$/,
    exports: ['DefaultJsonSchemaValidator', 'process'],
    stub: () =>
      lazyExports({
        DefaultJsonSchemaValidator: SDK_SHIM_AJV,
        process: 'require("node:process")',
      }),
  },
  {
    pkg: '@modelcontextprotocol/client',
    file: /^@modelcontextprotocol\/client\/dist\/shimsNode\.cjs$/,
    exports: ['CORS_IS_POSSIBLE', 'DefaultJsonSchemaValidator'],
    stub: () =>
      lazyExports({
        CORS_IS_POSSIBLE: 'false',
        DefaultJsonSchemaValidator: SDK_SHIM_AJV,
      }),
  },
];

/** A CommonJS module whose exports are getters: each expression runs when its export is first read. */
function lazyExports(getters) {
  return Object.entries(getters)
    .map(
      ([name, expression]) =>
        `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => ${expression} });`,
    )
    .join('\n');
}

/** The names a CommonJS module exports (`exports.x =`, `Object.defineProperty(exports, "x", …)`). */
function exportedNames(source) {
  const names = [...source.matchAll(/\bexports\.(\w+)\s*=|Object\.defineProperty\(\s*exports\s*,\s*["'](\w+)["']/g)];
  return [...new Set(names.map((m) => m[1] ?? m[2]).filter((name) => name !== '__esModule'))].sort();
}

/** The path of `path` inside its node_modules, or undefined. */
const inNodeModules = (path) => /.*[/\\]node_modules[/\\](.*)$/.exec(path)?.[1]?.replaceAll('\\', '/');

/** An esbuild plugin putting {@link STUBBED}'s stubs in place of those modules; `matched` gathers the entries used. */
function stubOut(matched) {
  return {
    name: 'only1mcp-stub-out',
    setup(build) {
      build.onLoad({ filter: /[/\\]node_modules[/\\]/ }, (args) => {
        const path = inNodeModules(args.path);
        const entry = path && STUBBED.find(({ file }) => file.test(path));
        if (!entry) return undefined;
        matched.add(entry);
        if (entry.exports) {
          const own = exportedNames(readFileSync(args.path, 'utf8'));
          if (own.join() !== [...entry.exports].sort().join())
            fail(
              `${path} exports ${own.join(', ')}, its stub in STUBBED ${entry.exports.join(', ')}: write the stub again`,
            );
        }
        return { contents: entry.stub(path), loader: 'js' };
      });
    },
  };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fail(message) {
  console.error(`only1mcp-bundle: ${message}`);
  process.exit(1);
}

/** `>=20.19` in the root package.json's engines → esbuild's target `node20.19`. */
function nodeTarget() {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node ?? '';
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!match) fail(`cannot read a minimum Node version from engines.node "${range}" in ${join(root, 'package.json')}`);
  return `node${match[1]}`;
}

/** The one file the app's package.json `bin` names: where the bundle goes. */
function binFile(dir, manifest) {
  const bins = Object.values(manifest.bin ?? {});
  if (bins.length !== 1)
    fail(`${join(dir, 'package.json')}: "bin" must name exactly one command (found ${bins.length})`);
  return join(dir, bins[0]);
}

/** `gpt-tokenizer/encoding/o200k_base` → `gpt-tokenizer`; `@scope/name/x` → `@scope/name`. */
const packageOf = (path) =>
  path
    .split('/')
    .slice(0, path.startsWith('@') ? 2 : 1)
    .join('/');

const quoted = (names) => names.map((name) => `"${name}"`).join(', ');
const them = (names) => (names.length > 1 ? 'them' : 'it');

/**
 * Fails unless the app's dependencies are exactly the packages the bundle loads from outside
 * itself: one missing cannot be found when deployed, one more is deployed for nothing.
 */
function checkExternals(dir, manifest, output, outfile) {
  const loaded = new Set(output.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path)));
  const declared = Object.keys(manifest.dependencies ?? {});
  const manifestPath = join(dir, 'package.json');
  const missing = [...loaded].filter((name) => !declared.includes(name));
  if (missing.length > 0) {
    fail(
      `${relative(dir, outfile)} loads ${quoted(missing)} from node_modules at run time: ` +
        `add ${them(missing)} to "dependencies" in ${manifestPath} ("catalog:"), ` +
        `or a deployed app cannot find ${them(missing)}`,
    );
  }
  const bundled = declared.filter((name) => !loaded.has(name));
  if (bundled.length > 0) {
    fail(
      `${relative(dir, outfile)} holds ${quoted(bundled)} itself (never loads ${them(bundled)} from node_modules): ` +
        `move ${them(bundled)} to "devDependencies" in ${manifestPath}, ` +
        `or every deployed app carries ${them(bundled)} for nothing`,
    );
  }
}

const [entry, ...extra] = process.argv.slice(2);
if (!entry || extra.length > 0) fail('usage: only1mcp-bundle <built entry point, e.g. dist/cli/main.js>');
const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const outfile = binFile(dir, manifest);

const stubbed = new Set();
const result = await build({
  entryPoints: [join(dir, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: nodeTarget(),
  external: LOADED_ON_DEMAND,
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  legalComments: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [stubOut(stubbed)],
}).catch((err) => fail(err instanceof Error ? err.message : String(err)));
if (result.errors.length > 0) process.exit(1);

const bundledPackages = new Set(Object.keys(result.metafile.inputs).map(inNodeModules).filter(Boolean).map(packageOf));
const stale = STUBBED.filter((entry) => bundledPackages.has(entry.pkg) && !stubbed.has(entry)).map(
  ({ file }) => file.source,
);
if (stale.length > 0)
  fail(`STUBBED in ${fileURLToPath(import.meta.url)} names modules the bundle no longer loads: ${stale.join(', ')}`);

const text = readFileSync(outfile, 'latin1');
const wide = /[^\x00-\x7f]/.exec(text);
if (wide) {
  const at = text.slice(Math.max(0, wide.index - 60), wide.index + 20);
  fail(`${relative(dir, outfile)} is not ASCII (V8 would hold it as a two-byte string); near: ${JSON.stringify(at)}`);
}
// The metafile names outputs relative to the working directory, the app folder.
checkExternals(dir, manifest, result.metafile.outputs[relative(dir, outfile)], outfile);
chmodSync(outfile, 0o755);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `only1mcp-bundle: ${entry} and ${inputs - 1} modules → ${relative(dir, outfile)} (${(text.length / 1e6).toFixed(1)} MB)`,
);
