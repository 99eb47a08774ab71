/**
 * Two ways the environment shapes a configuration:
 * - `${VAR}` and `${VAR:-default}` inside string values, so secrets stay out of files
 *   (`$${VAR}` writes a literal `${VAR}`);
 * - `ONLY1MCP_<KEY>__<KEY>...=value` overrides, e.g. `ONLY1MCP_SERVER__PORT=9000` sets server.port.
 */
import type { ConfigIssue } from './configError';
import { formatPath } from './configError';
import { yamlModule } from './parseText';

/** Environment variables with this prefix override configuration keys. */
export const ENV_PREFIX = 'ONLY1MCP_';
/** The variable that names the configuration file; it is not an override. */
export const CONFIG_PATH_ENV = 'ONLY1MCP_CONFIG';

const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}/g;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Replaces `${VAR}` placeholders in every string value of `data` (in place) and returns the
 * problems found: a variable that is not set and has no default.
 */
export function interpolate(data: unknown, env: Env, source: string): (ConfigIssue & { keyPath: PropertyKey[] })[] {
  const issues: (ConfigIssue & { keyPath: PropertyKey[] })[] = [];
  const visit = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, escaped: string, name: string, fallback: string | undefined) => {
        if (escaped) return whole.slice(1);
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        issues.push({
          source,
          path: formatPath(path),
          keyPath: path,
          message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
        });
        return whole;
      });
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => (value[i] = visit(item, [...path, i])));
    } else if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) obj[key] = visit(obj[key], [...path, key]);
    }
    return value;
  };
  visit(data, []);
  return issues;
}

/** Where an override came from, so a problem with it names the variable. */
export interface AppliedOverride {
  /** The key path it set, e.g. `server.port`. */
  path: string;
  /** The variable, e.g. `ONLY1MCP_SERVER__PORT`. */
  variable: string;
}

function scalar(raw: string): unknown {
  try {
    const value: unknown = yamlModule().parse(raw);
    return value === null && raw.trim() !== '' && raw.trim() !== 'null' && raw.trim() !== '~' ? raw : value;
  } catch {
    return raw;
  }
}

/**
 * Applies `ONLY1MCP_*` overrides to `data` (in place). Segments are matched case-insensitively
 * against existing keys (otherwise lower-cased), numeric segments index arrays, and values are
 * read as YAML scalars: `9000` is a number, `true` a boolean, `[a, b]` a list.
 */
export function applyEnvOverrides(data: Record<string, unknown>, env: Env): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && name !== CONFIG_PATH_ENV)
    .sort();
  for (const variable of names) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const segments = variable
      .slice(ENV_PREFIX.length)
      .split('__')
      .filter((s) => s !== '');
    if (segments.length === 0) continue;
    const path: PropertyKey[] = [];
    let node: Record<string, unknown> | unknown[] = data;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      let key: string | number;
      if (Array.isArray(node) && /^\d+$/.test(segment)) {
        key = Number(segment);
      } else {
        const existing = Array.isArray(node)
          ? undefined
          : Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
        key = existing ?? segment.toLowerCase();
      }
      path.push(key);
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = scalar(raw);
        return;
      }
      const next = container[key];
      if (next === null || typeof next !== 'object') {
        container[key] = /^\d+$/.test(segments[i + 1]!) ? [] : {};
      }
      node = container[key] as Record<string, unknown> | unknown[];
    });
    applied.push({ path: formatPath(path), variable });
  }
  return applied;
}
