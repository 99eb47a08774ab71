/**
 * Converts the `mcpServers` JSON that Claude Desktop, Cursor and Claude Code use (and the
 * `servers` JSON of VS Code) into an Only1MCP configuration, saying what could not be carried over.
 */
import { ConfigError } from './configError';
import { SERVER_ID_PATTERN } from './schema';
import { yamlModule } from './parseText';

/** The outcome of an import. */
export interface ImportResult {
  /** The equivalent Only1MCP configuration as YAML. */
  yaml: string;
  /** What could not be carried over, one sentence each. */
  warnings: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// Client-side settings with no meaning for a gateway: dropped with a warning naming them.
const STDIO_KEYS = new Set(['command', 'args', 'env', 'cwd', 'type', 'transport']);
const REMOTE_KEYS = new Set(['url', 'headers', 'type', 'transport']);

/** Turns a client's server name into a valid, unique Only1MCP id. */
function toId(name: string, taken: Set<string>): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  if (base === '') base = 'server';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Rewrites VS Code's `${input:x}` and `${env:X}` placeholders; returns the value and whether it had an input. */
function rewritePlaceholders(value: string): { value: string; input: boolean } {
  let input = false;
  const out = value
    .replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => `\${${name}}`)
    .replace(/\$\{input:([^}]+)\}/g, (_m, name: string) => {
      input = true;
      return `\${${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}}`;
    });
  return { value: out, input };
}

/** Converts the JSON text of a client config file. `source` names the file in errors and warnings. */
export function importMcpServers(text: string, source: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Cannot parse ${source}: ${(err as Error).message}`);
  }
  const servers = isRecord(data)
    ? isRecord(data.mcpServers)
      ? data.mcpServers
      : isRecord(data.servers)
        ? data.servers
        : undefined
    : undefined;
  if (!servers)
    throw new ConfigError(`${source} has no "mcpServers" (Claude Desktop, Cursor) or "servers" (VS Code) object`);

  const warnings: string[] = [];
  if (isRecord(data) && data.inputs !== undefined) {
    warnings.push(
      '"inputs" (VS Code prompts for secrets) were not carried over: each ${input:x} became an environment variable ${X} to set before starting the gateway.',
    );
  }
  const taken = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const [name, raw] of Object.entries(servers)) {
    if (!isRecord(raw)) {
      warnings.push(`"${name}": skipped, its entry is not an object.`);
      continue;
    }
    const id = toId(name, taken);
    if (id !== name)
      warnings.push(
        `"${name}": renamed to id "${id}" (ids use a-z, 0-9, "_" and "-"); its tools are prefixed "${id}__".`,
      );
    if (raw.disabled === true) warnings.push(`"${name}": was disabled; imported with enabled: false.`);
    const type =
      typeof raw.type === 'string' ? raw.type : typeof raw.transport === 'string' ? raw.transport : undefined;
    const inputs = new Set<string>();
    const fix = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      const r = rewritePlaceholders(v);
      if (r.input) inputs.add(name);
      return r.value;
    };
    const server: Record<string, unknown> = { id };
    if (id !== name) server.name = name;
    let known: Set<string>;
    if (typeof raw.command === 'string') {
      known = STDIO_KEYS;
      server.transport = 'stdio';
      server.command = fix(raw.command);
      if (Array.isArray(raw.args) && raw.args.length > 0) server.args = raw.args.map(fix);
      if (isRecord(raw.env) && Object.keys(raw.env).length > 0)
        server.env = Object.fromEntries(Object.entries(raw.env).map(([k, v]) => [k, String(fix(v))]));
      if (typeof raw.cwd === 'string') server.cwd = fix(raw.cwd);
    } else if (typeof raw.url === 'string' || typeof raw.serverUrl === 'string') {
      known = new Set([...REMOTE_KEYS, 'serverUrl']);
      const url = (raw.url ?? raw.serverUrl) as string;
      // Clients call Streamable HTTP "http" or "streamable-http"; an unlabelled URL ending in /sse is legacy SSE.
      server.transport = type === 'sse' || (type === undefined && /\/sse\/?$/.test(url)) ? 'sse' : 'http';
      server.url = fix(url);
      if (isRecord(raw.headers) && Object.keys(raw.headers).length > 0)
        server.headers = Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k, String(fix(v))]));
    } else {
      warnings.push(`"${name}": skipped, it has neither "command" nor "url".`);
      continue;
    }
    if (raw.disabled === true) server.enabled = false;
    const dropped = Object.keys(raw).filter((k) => !known.has(k) && k !== 'disabled');
    if (dropped.length > 0)
      warnings.push(
        `"${name}": ${dropped.map((k) => `"${k}"`).join(', ')} ${dropped.length === 1 ? 'has' : 'have'} no Only1MCP equivalent and ${dropped.length === 1 ? 'was' : 'were'} dropped.`,
      );
    if (inputs.size > 0)
      warnings.push(`"${name}": uses \${input:...} prompts; set the matching environment variables before starting.`);
    if (!SERVER_ID_PATTERN.test(id)) warnings.push(`"${name}": id "${id}" is not valid; edit it.`);
    out.push(server);
  }
  if (out.length === 0)
    throw new ConfigError(
      `${source} defines no server that could be imported`,
      warnings.map((message) => ({ source, path: '', message })),
    );
  const header = `# Only1MCP configuration imported from ${source}\n# Check it with: only1mcp validate FILE\n`;
  return {
    yaml:
      header + yamlModule().stringify({ server: { host: '127.0.0.1', port: 8080 }, servers: out }, { lineWidth: 0 }),
    warnings,
  };
}
