/**
 * The Grafana dashboards of the compose deployment (deploy/grafana/dashboards/*.json) as data: every
 * panel, every PromQL query, and the metric names a query reads. The checks compare those names with
 * what the code exports; a cluster evaluates the queries against a real Prometheus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_FILES } from './composeFile';

/** A panel's or target's data source reference. */
export interface DatasourceRef {
  type?: string;
  uid?: string;
}

/** One query of a panel. */
export interface GrafanaTarget {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: DatasourceRef | string | null;
  [key: string]: unknown;
}

/** A panel, typed loosely; a row holds its panels in `panels` while it is collapsed. */
export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  datasource?: DatasourceRef | string | null;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
  [key: string]: unknown;
}

/** A dashboard JSON model, typed loosely. */
export interface GrafanaDashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: GrafanaPanel[];
  [key: string]: unknown;
}

/** A dashboard and the file it came from. */
export interface LoadedDashboard {
  /** Absolute path of the JSON file. */
  file: string;
  dashboard: GrafanaDashboard;
}

/** One PromQL query of a dashboard. */
export interface DashboardQuery {
  /** The dashboard's title. */
  dashboard: string;
  /** The panel's title. */
  panel: string;
  expr: string;
}

/** Reads every `*.json` under `dir` (by file name); throws naming the file that does not parse. */
export function loadDashboards(dir: string = DEPLOY_FILES.grafanaDashboards): LoadedDashboard[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      try {
        return { file, dashboard: JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard };
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
    });
}

/** Every panel of a dashboard in layout order, the panels inside (collapsed) rows included. */
export function allPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  const out: GrafanaPanel[] = [];
  const visit = (panels: readonly GrafanaPanel[] | undefined) => {
    for (const panel of panels ?? []) {
      out.push(panel);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return out;
}

/** Every target `expr` of every panel of every dashboard under `dir`. */
export function dashboardQueries(dir: string = DEPLOY_FILES.grafanaDashboards): DashboardQuery[] {
  return loadDashboards(dir).flatMap(({ dashboard }) =>
    allPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => typeof target.expr === 'string' && target.expr.trim() !== '')
        .map((target) => ({ dashboard: dashboard.title ?? '', panel: panel.title ?? '', expr: target.expr! })),
    ),
  );
}

/** Suffixes of the series a histogram exports besides its base name. */
export const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The histogram a `_bucket`/`_sum`/`_count` series belongs to, or undefined for other names. */
export function histogramBaseName(name: string): string | undefined {
  const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
  return suffix === undefined ? undefined : name.slice(0, -suffix.length);
}

// Words that are never metric names where they stand: binary operators, modifiers, and the
// keywords of numbers. Function and aggregation names are recognised by what follows them.
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
// These take a parenthesised list of label names, which must not be read as metric names.
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

/** The index just past the string literal (", ' or `) that starts at `i`. */
function skipString(expr: string, i: number): number {
  const quote = expr[i];
  let j = i + 1;
  while (j < expr.length && expr[j] !== quote) j += quote !== '`' && expr[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The index just past the bracket that closes the one at `i`, skipping strings inside. */
function skipBracketed(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; j++) {
    const c = expr[j]!;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(expr, j) - 1;
    } else if (c === open) {
      depth++;
    } else if (c === close && --depth === 0) {
      return j + 1;
    }
  }
  return expr.length;
}

function skipSpace(expr: string, i: number): number {
  while (i < expr.length && /\s/.test(expr[i]!)) i++;
  return i;
}

/** The text of a PromQL string literal (PromQL escapes are Go's, close enough to JSON's for names). */
function unquote(literal: string): string {
  const inner = literal.slice(1, -1);
  if (literal[0] === '`') return inner;
  const asJson = literal[0] === '"' ? literal : `"${inner.replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"')}"`;
  try {
    return JSON.parse(asJson) as string;
  } catch {
    return inner;
  }
}

const STRING_LITERAL = '"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'|`[^`]*`';
const LONE_NAME = new RegExp(`^(${STRING_LITERAL})$`);
const NAME_MATCHER = new RegExp(`^__name__\\s*=\\s*(${STRING_LITERAL})$`);

/** Metric names selected inside a `{…}`: a lone quoted name (`{"a.b"}`) or `__name__="x"` (not a regex). */
function namesInMatchers(body: string): string[] {
  return splitMatchers(body)
    .map((part) => (LONE_NAME.exec(part) ?? NAME_MATCHER.exec(part))?.[1])
    .filter((literal): literal is string => literal !== undefined)
    .map(unquote);
}

/** Splits the body of `{…}` at top-level commas (commas inside strings stay). */
function splitMatchers(body: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j]!;
    if (c === '"' || c === "'" || c === '`') j = skipString(body, j) - 1;
    else if (c === ',') {
      parts.push(body.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The metric names a PromQL expression selects, in order of first appearance: identifiers not
 * followed by `(` (functions, aggregations), outside label matchers, ranges and string literals,
 * and not keywords or the label lists of `by`, `without`, `on`, `ignoring`, `group_left/right`;
 * plus names selected as `{"name"}` or `{__name__="name"}`. Names are returned as written
 * (`x_bucket` stays `x_bucket`; see {@link histogramBaseName}).
 */
export function metricNamesIn(expr: string): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '#') {
      const end = expr.indexOf('\n', i);
      i = end === -1 ? expr.length : end + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '{') {
      const end = skipBracketed(expr, i, '{', '}');
      namesInMatchers(expr.slice(i + 1, end - 1)).forEach(add);
      i = end;
    } else if (c === '[') {
      i = skipBracketed(expr, i, '[', ']');
    } else if (/[0-9.]/.test(c)) {
      // A number or a duration (0.95, 1e3, 0x1f, 5m, 1h30m): never a name.
      i++;
      while (i < expr.length && /[A-Za-z0-9_.]/.test(expr[i]!)) i++;
    } else if (IDENT_START.test(c)) {
      let end = i + 1;
      while (end < expr.length && IDENT_PART.test(expr[end]!)) end++;
      const word = expr.slice(i, end);
      const lower = word.toLowerCase();
      const next = skipSpace(expr, end);
      const following = /^[A-Za-z_]+/.exec(expr.slice(next))?.[0]?.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        i = expr[next] === '(' ? skipBracketed(expr, next, '(', ')') : next;
        continue;
      }
      const isCall = expr[next] === '(';
      const isAggregation = AGGREGATIONS.has(lower) && (following === 'by' || following === 'without');
      if (!isCall && !isAggregation && !KEYWORDS.has(lower)) add(word);
      i = end;
    } else {
      i++;
    }
  }
  return names;
}
