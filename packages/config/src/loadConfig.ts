/**
 * Finds, reads, parses and validates the configuration. This is the only way a process gets
 * a Config: `apps/* /src/main.ts` calls it once and passes the result down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './configError';
import { CONFIG_PATH_ENV, applyEnvOverrides, interpolate } from './environment';
import { formatOf, parseText, type ConfigFormat, type ParsedText } from './parseText';
import { BaseConfigSchema, TRANSPORTS, crossCheck, type Config } from './schema';

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The file to read; when absent the usual places are searched (see {@link configSearchPath}). */
  path?: string;
  /** Environment for discovery, `${VAR}` interpolation and `ONLY1MCP_*` overrides; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths start from; defaults to process.cwd(). */
  cwd?: string;
  /** Home directory for `~/.only1mcp`; defaults to os.homedir(). */
  homeDir?: string;
  /** Values that win over the file and the environment (e.g. `start --port`), as a nested object. */
  overrides?: Record<string, unknown>;
}

/** A validated configuration and where it came from. */
export interface LoadedConfig {
  /** The configuration with every default filled in. */
  config: Config;
  /** Absolute path of the file it was read from. */
  file: string;
  /** The file's format. */
  format: ConfigFormat;
}

/** The places searched, in order, when no path is given. */
export function configSearchPath(options: Pick<LoadConfigOptions, 'env' | 'cwd' | 'homeDir'> = {}): string[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = options.homeDir ?? homedir();
  const fromEnv = env[CONFIG_PATH_ENV];
  return [
    ...(fromEnv ? [resolve(cwd, fromEnv)] : []),
    join(cwd, 'only1mcp.yaml'),
    join(cwd, 'only1mcp.toml'),
    join(home, '.only1mcp', 'config.yaml'),
    '/etc/only1mcp/config.yaml',
  ];
}

/** Resolves which file to read; throws ConfigError listing every place it looked. */
export function findConfigFile(options: LoadConfigOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  if (options.path !== undefined) {
    const file = isAbsolute(options.path) ? options.path : resolve(cwd, options.path);
    if (!existsSync(file)) throw new ConfigError(`Configuration file not found: ${file}`);
    return file;
  }
  const env = options.env ?? process.env;
  const fromEnv = env[CONFIG_PATH_ENV];
  if (fromEnv) {
    const file = resolve(cwd, fromEnv);
    if (!existsSync(file)) throw new ConfigError(`Configuration file not found: ${file} (named by ${CONFIG_PATH_ENV})`);
    return file;
  }
  const candidates = configSearchPath(options);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new ConfigError(
      `No configuration file found. Looked in:\n${candidates.map((c) => `  - ${c}`).join('\n')}\n` +
        `Pass --config FILE, set ${CONFIG_PATH_ENV}, or start from a template: only1mcp config generate --template solo > only1mcp.yaml`,
    );
  }
  return found;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = target[key];
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current)
    ) {
      deepMerge(current as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the text' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Rewrites one zod issue in plain words. */
function plainMessage(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, got ${describeType(value)}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `unknown key "${issue.keys[0]}"`
        : `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeType(value)}`;
    case 'invalid_union':
      if (issue.path.at(-1) === 'transport' || (issue.path.length === 2 && issue.path[0] === 'servers')) {
        const transport = valueAt(data, [...issue.path.filter((p) => p !== 'transport'), 'transport']);
        return transport === undefined
          ? `"transport" is required: one of ${TRANSPORTS.join(', ')}`
          : `unknown transport ${JSON.stringify(transport)}: must be one of ${TRANSPORTS.join(', ')}`;
      }
      return `is not valid: ${issue.message}`;
    case 'too_small':
      if (issue.origin === 'array' && issue.minimum === 1 && issue.message.startsWith('Too small'))
        return 'must not be empty';
      return issue.message.startsWith('Too small')
        ? `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}`
        : issue.message;
    case 'too_big':
      return issue.message.startsWith('Too big')
        ? `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : ''}`
        : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Validates already-parsed data; returns the config or every problem. `source` names the file in
 * problems; `parsed` (when given) lets problems point at a line; `origins` maps key paths set by
 * environment overrides to the variable that set them.
 */
export function validateConfig(
  data: unknown,
  source: string,
  parsed?: Pick<ParsedText, 'locate'>,
  origins: Record<string, string> = {},
): { config: Config; issues: [] } | { config?: undefined; issues: ConfigIssue[] } {
  const result = BaseConfigSchema.safeParse(data);
  const cross = crossCheck(data);
  if (result.success && cross.length === 0) return { config: result.data, issues: [] };
  const raw: { path: PropertyKey[]; message: string; key?: string }[] = [
    ...(result.success ? [] : result.error.issues).map((issue) => ({
      // For union failures zod points at the server entry; point at its transport key instead.
      path:
        issue.code === 'invalid_union' && issue.path.length === 2 && issue.path[0] === 'servers'
          ? [...issue.path, 'transport']
          : issue.path,
      message: plainMessage(issue, data),
      key: issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined,
    })),
    ...cross,
  ];
  const issues = raw.map(({ path, message, key }): ConfigIssue => {
    const readable = formatPath(path);
    const variable = Object.entries(origins).find(
      ([p]) => readable === p || readable.startsWith(`${p}.`) || readable.startsWith(`${p}[`),
    )?.[1];
    const pos = variable ? undefined : locateNearest(parsed, path, key);
    return { source: variable ? `environment variable ${variable}` : source, path: readable, message, ...pos };
  });
  return { issues };
}

function locateNearest(parsed: Pick<ParsedText, 'locate'> | undefined, path: readonly PropertyKey[], key?: string) {
  if (!parsed) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const pos = parsed.locate(path.slice(0, n), n === path.length ? key : undefined);
    if (pos) return pos;
  }
  return undefined;
}

/** Finds, reads and validates the configuration; throws ConfigError with every problem found. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = findConfigFile(options);
  const format = formatOf(file);
  if (format === undefined) {
    throw new ConfigError(`Cannot read ${file}: the file name must end in .yaml, .yml, .toml or .json`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = parseText(text, format, file);
  let data = parsed.data;
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`Invalid configuration in ${file}`, [
      { source: file, path: '', message: `the file must hold a mapping of settings, got ${describeType(data)}` },
    ]);
  }
  const record = data as Record<string, unknown>;
  const issues = interpolate(record, env, file).map((issue) => ({ ...issue, ...locateNearest(parsed, issue.keyPath) }));
  const origins = Object.fromEntries(applyEnvOverrides(record, env).map((o) => [o.path, o.variable]));
  if (options.overrides) deepMerge(record, options.overrides);
  const result = validateConfig(record, file, parsed, origins);
  const all = [...issues.map(({ keyPath: _keyPath, ...issue }) => issue), ...result.issues].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity),
  );
  if (all.length > 0 || result.config === undefined) {
    throw new ConfigError(
      `Invalid configuration in ${file} (${all.length} problem${all.length === 1 ? '' : 's'}):`,
      all,
    );
  }
  return { config: result.config, file, format };
}
