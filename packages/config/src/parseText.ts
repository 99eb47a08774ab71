/**
 * Reads YAML, TOML or JSON text (chosen by file extension) and reports syntax errors with line
 * and column. For YAML and JSON it can also find where a key path sits in the text, so validation
 * problems point at a line.
 */
import { extname } from 'node:path';
import { TomlError, parse as parseToml } from 'smol-toml';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { ConfigError, formatPath } from './configError';

/** The file formats the loader reads. */
export type ConfigFormat = 'yaml' | 'toml' | 'json';

/** Where a key path sits in the text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Parsed text plus a way to find a key path's position in it. */
export interface ParsedText {
  data: unknown;
  /** Position of the value at `path` (or of `key` inside it); undefined when unknown. */
  locate(path: readonly PropertyKey[], key?: string): TextPosition | undefined;
}

/** Picks the format from a file name; undefined for an extension the loader does not read. */
export function formatOf(file: string): ConfigFormat | undefined {
  switch (extname(file).toLowerCase()) {
    case '.yaml':
    case '.yml':
      return 'yaml';
    case '.toml':
      return 'toml';
    case '.json':
      return 'json';
    default:
      return undefined;
  }
}

/**
 * The yaml module, loaded on first use: a JSON or TOML configuration without errors never needs
 * it, and it is some 70 files the gateway would otherwise hold in memory for its whole life.
 */
export function yamlModule(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}

function yamlLocator(doc: Document, counter: LineCounter): ParsedText['locate'] {
  const { isMap, isNode } = yamlModule();
  return (path, key) => {
    const target = doc.getIn(path as unknown[], true);
    let offset: number | undefined;
    if (key !== undefined && isMap(target)) {
      const pair = target.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
      if (pair && isNode(pair.key)) offset = pair.key.range?.[0];
    }
    if (offset === undefined && isNode(target)) offset = target.range?.[0];
    if (offset === undefined) return undefined;
    const pos = counter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

function positionOfOffset(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses `text` in `format`; throws ConfigError naming `source`, the line and the column on a syntax error. */
export function parseText(text: string, format: ConfigFormat, source: string): ParsedText {
  if (format === 'toml') {
    try {
      return { data: parseToml(text), locate: () => undefined };
    } catch (err) {
      if (err instanceof TomlError) {
        const message = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
        throw new ConfigError(`Cannot parse ${source}`, [
          { source, path: '', message: `TOML syntax error: ${message}`, line: err.line, column: err.column },
        ]);
      }
      throw err;
    }
  }

  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const pos = at ? positionOfOffset(text, Number(at[1])) : undefined;
      throw new ConfigError(`Cannot parse ${source}`, [
        {
          source,
          path: '',
          message: `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
          ...pos,
        },
      ]);
    }
    // JSON.parse keeps the last of two equal keys without a word, so a setting written twice would
    // silently lose one. Counting is cheap; only a file that has a duplicate is read again (by the
    // YAML parser, which says where) to report it.
    if (keysInText(text) !== keysInValue(data)) throw duplicateJsonKeys(text, source);
    // Positions are only wanted to report a problem: the YAML parser (JSON is YAML) reads the text
    // again then, not on every start.
    let locate: ParsedText['locate'] | undefined;
    return { data, locate: (path, key) => (locate ??= parseYaml(text, source).locate)(path, key) };
  }
  return parseYaml(text, source);
}

/** Every JSON string token in order: outside strings, valid JSON has no quote character. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;
/** What follows a string that is an object key (matched where the string ends). */
const KEY_COLON = /\s*:/y;

/** Object keys written in valid JSON `text`: the strings followed by a colon. */
function keysInText(text: string): number {
  let keys = 0;
  for (const match of text.matchAll(JSON_STRING)) {
    KEY_COLON.lastIndex = match.index + match[0].length;
    if (KEY_COLON.test(text)) keys += 1;
  }
  return keys;
}

/** Properties of every object in a parsed JSON value (fewer than {@link keysInText} when a key repeats). */
function keysInValue(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.reduce<number>((sum, child) => sum + keysInValue(child), Array.isArray(value) ? 0 : children.length);
}

/** The key path of the map key that starts at `offset` in a parsed YAML (or JSON) node, if any. */
function keyPathAt(node: unknown, offset: number, path: PropertyKey[] = []): PropertyKey[] | undefined {
  const { isMap, isNode, isScalar, isSeq } = yamlModule();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (isNode(pair.key) && pair.key.range?.[0] === offset) return [...path, String(key)];
      const found = keyPathAt(pair.value, offset, [...path, String(key)]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = keyPathAt(item, offset, [...path, index]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The ConfigError for valid JSON with a key repeated in one object: each repeat, with its key path, line and column. */
function duplicateJsonKeys(text: string, source: string): ConfigError {
  const { LineCounter, parseDocument } = yamlModule();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const message = 'is written twice in the same object (JSON would keep only the last)';
  const issues = doc.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => {
      const { line, col } = counter.linePos(e.pos[0]);
      return { source, path: formatPath(keyPathAt(doc.contents, e.pos[0]) ?? []), message, line, column: col };
    });
  return new ConfigError(
    `Cannot parse ${source}`,
    issues.length > 0 ? issues : [{ source, path: '', message: `a key ${message}` }],
  );
}

function parseYaml(text: string, source: string): ParsedText {
  const { LineCounter, parseDocument } = yamlModule();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      `Cannot parse ${source}`,
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          source,
          path: '',
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), locate: yamlLocator(doc, counter) };
}
