/**
 * fast-check arbitraries for hostile input to a running gateway: JSON-RPC messages mutated from
 * valid ones, random JSON, bytes that are not UTF-8 or not JSON, headers, methods and paths, and
 * malformed HTTP for a raw socket. Bodies are built as text, not with JSON.stringify, so they can
 * hold what a JSON encoder never writes: 10,000 levels of nesting, numbers beyond float64, own
 * `__proto__` keys.
 */
import fc from 'fast-check';

/** One HTTP request the fuzz sends; every header and byte is chosen by the arbitrary. */
export interface FuzzRequest {
  method: string;
  /** Sent as is (the client does not normalize it). */
  path: string;
  /** Values are latin1 strings: non-ASCII text arrives as its UTF-8 bytes. */
  headers: Record<string, string>;
  /** A string is sent as UTF-8; a Buffer byte for byte (invalid UTF-8). */
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked`, in two pieces. */
  chunked?: boolean;
}

/** The gateway's tool, prompt and resource names with the fixture backend `fx`. */
export const FX = { echo: 'fx__echo', whoami: 'fx__whoami', prompt: 'fx__greet', resource: 'fixture://info' };

/** The stateless 2026-07-28 request `_meta` (protocol version and client capabilities). */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** JSON text written as is where a value goes (nesting, numbers and syntax JSON.stringify never writes). */
class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of `value`: Raw pieces verbatim, own keys (`__proto__` included) in order. */
function render(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(render).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Sets `key` as an own enumerable property, even `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Message = Record<string, unknown>;

/** Valid messages of every kind the gateway serves; the fuzz starts from these. No hang/crash/slow tools. */
const TEMPLATES: Message[] = [
  { jsonrpc: '2.0', id: 1, method: 'ping' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: FX.echo, arguments: { message: 'hi' } } },
  { jsonrpc: '2.0', id: 'w', method: 'tools/call', params: { name: FX.whoami, arguments: {} } },
  { jsonrpc: '2.0', id: 4, method: 'prompts/list' },
  { jsonrpc: '2.0', id: 5, method: 'prompts/get', params: { name: FX.prompt, arguments: { name: 'a' } } },
  { jsonrpc: '2.0', id: 6, method: 'resources/list', params: { cursor: 'x' } },
  { jsonrpc: '2.0', id: 7, method: 'resources/read', params: { uri: FX.resource } },
  { jsonrpc: '2.0', id: 8, method: 'resources/templates/list' },
  {
    jsonrpc: '2.0',
    id: 9,
    method: 'completion/complete',
    params: { ref: { type: 'ref/prompt', name: FX.prompt }, argument: { name: 'name', value: 'a' } },
  },
  { jsonrpc: '2.0', id: 10, method: 'logging/setLevel', params: { level: 'debug' } },
  { jsonrpc: '2.0', id: 11, method: 'resources/subscribe', params: { uri: FX.resource } },
  {
    jsonrpc: '2.0',
    id: 12,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
  },
  { jsonrpc: '2.0', id: 13, method: 'server/discover', params: {} },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: 'fuzz' } },
  { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
  // Responses and errors sent as if they were requests.
  { jsonrpc: '2.0', id: 14, result: {} },
  { jsonrpc: '2.0', id: 15, error: { code: -32601, message: 'x' } },
];

/** Method names the gateway knows; Mcp-Method headers and method swaps pick from them. */
const METHODS = [...new Set(TEMPLATES.flatMap((t) => (typeof t.method === 'string' ? [t.method] : [])))];

/** Nesting of `depth` levels of arrays (or objects), closed or not. */
function nested(depth: number, kind: 'array' | 'object', closed: boolean): Raw {
  const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
  return new Raw(open.repeat(depth) + (kind === 'object' ? '1' : '') + (closed ? close.repeat(depth) : ''));
}

const deep = fc
  .tuple(
    fc.constantFrom(64, 1000, 5000, 10_000, 40_000),
    fc.constantFrom<'array' | 'object'>('array', 'object'),
    fc.boolean(),
  )
  .map(([d, k, c]) => nested(d, k, c));

/** Strings a parser or a router may trip on. */
const oddString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'tools/list\u0000',
    'tools/list ',
    'TOOLS/LIST',
    '工具/列表',
    '\ud800',
    '🙂'.repeat(50),
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '../../etc/passwd',
    '%00',
    'fx__',
    '__',
    'nope__echo',
    'fx__nope',
    'fx____echo',
    'rpc.discover',
    'notifications/',
    '$(id)',
    '<script>',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(5_000, 70_000).map((n) => 'x'.repeat(n)),
);

/** Values of every JSON type, and some that are not JSON at all. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, [], [1], {}, { a: 1 }, '', '2.0'),
  fc.constantFrom(
    new Raw('1e400'),
    new Raw('-0'),
    new Raw('123456789012345678901234567890'),
    new Raw('9007199254740993'),
    new Raw('1.0'),
    new Raw('0x10'),
    new Raw('NaN'),
    new Raw('undefined'),
  ),
  oddString,
  deep,
);

const pollution = fc.constantFrom<[string, unknown]>(
  ['__proto__', { polluted: 'yes' }],
  ['constructor', { prototype: { polluted: 'yes' } }],
  ['prototype', { polluted: 'yes' }],
  ['__proto__', null],
  ['toString', 'x'],
);

/** One change to a message, as data (so fast-check prints and shrinks it). */
type Mutation =
  | { kind: 'set'; path: readonly string[]; value: unknown }
  | { kind: 'delete'; key: 'jsonrpc' | 'id' | 'method' | 'params' }
  | { kind: 'pollute'; where: 'top' | 'params' | 'arguments'; entry: [string, unknown] }
  | { kind: 'method'; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.constant(['jsonrpc']), value: oddValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constant(['id']), value: oddValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constant(['method']), value: oddValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constant(['params']), value: oddValue }),
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.constantFrom(
      ['params', 'name'],
      ['params', 'arguments'],
      ['params', 'arguments', 'message'],
      ['params', 'cursor'],
      ['params', 'uri'],
      ['params', 'level'],
      ['params', 'protocolVersion'],
      ['params', 'capabilities'],
      ['params', 'requestId'],
      ['params', '_meta'],
      ['params', '_meta', 'progressToken'],
      ['params', '_meta', 'io.modelcontextprotocol/protocolVersion'],
      ['params', '_meta', 'io.modelcontextprotocol/clientCapabilities'],
      ['result'],
      ['error'],
      ['extra'],
    ),
    value: oddValue,
  }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('jsonrpc', 'id', 'method', 'params') }),
  fc.record({
    kind: fc.constant('pollute' as const),
    where: fc.constantFrom('top', 'params', 'arguments'),
    entry: pollution,
  }),
  fc.record({ kind: fc.constant('method' as const), value: fc.constantFrom(...METHODS, 'nope/x', 'tools/cal') }),
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.constantFrom(
      ['id'],
      ['params'],
      ['params', 'arguments'],
      ['params', 'arguments', 'message'],
      ['params', '_meta'],
      ['extra'],
    ),
    value: deep,
  }),
);

function apply(message: Message, m: Mutation): void {
  if (m.kind === 'delete') return void delete message[m.key];
  if (m.kind === 'method') return void (message.method = m.value);
  if (m.kind === 'pollute') {
    const params = message.params;
    const holder =
      m.where === 'top'
        ? message
        : params !== null && typeof params === 'object' && !Array.isArray(params) && !(params instanceof Raw)
          ? m.where === 'params'
            ? (params as Message)
            : ((params as Message).arguments ??= {})
          : message;
    if (holder !== null && typeof holder === 'object' && !Array.isArray(holder) && !(holder instanceof Raw))
      setOwn(holder as Message, m.entry[0], fresh(m.entry[1]));
    return;
  }
  let target: Message = message;
  for (const key of m.path.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next) || next instanceof Raw) target[key] = {};
    target = target[key] as Message;
  }
  setOwn(target, m.path[m.path.length - 1]!, fresh(m.value));
}

/**
 * A copy of a generated value, so a later mutation never writes into a value fast-check shares
 * between runs (constantFrom hands out the same object each time; two mutations would tie a cycle).
 */
function fresh(value: unknown): unknown {
  if (value instanceof Raw || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fresh);
  const out: Message = {};
  for (const [k, v] of Object.entries(value)) setOwn(out, k, fresh(v));
  return out;
}

/** Deep copy of a template (plain JSON data only). */
const copy = (m: Message): Message => JSON.parse(JSON.stringify(m)) as Message;

/** A valid message with up to three mutations; `modern` adds the 2026-07-28 `_meta` first. */
function mutatedMessage(modern = false): fc.Arbitrary<Message> {
  return fc
    .tuple(fc.constantFrom(...TEMPLATES), fc.array(mutation, { minLength: 0, maxLength: 3 }))
    .map(([template, mutations]) => {
      const message = copy(template);
      if (modern && 'method' in message)
        message.params = { ...((message.params as Message | undefined) ?? {}), _meta: { ...MODERN_META } };
      for (const m of mutations) apply(message, m);
      return message;
    });
}

/** Bodies: mutated messages, batches, random JSON, huge strings, hostile bytes. */
export function hostileBody(maxBodyBytes: number, modern = false): fc.Arbitrary<string | Buffer> {
  const message = mutatedMessage(modern);
  const text = message.map(render);
  return fc.oneof(
    { weight: 10, arbitrary: text },
    {
      weight: 3,
      arbitrary: fc.array(fc.oneof(message, fc.jsonValue({ maxDepth: 2 })), { minLength: 0, maxLength: 5 }).map(render),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deep.map(render) },
    { weight: 1, arbitrary: nearLimit(maxBodyBytes) },
    { weight: 2, arbitrary: fc.tuple(text, fc.nat()).map(([t, cut]) => t.slice(0, cut % Math.max(1, t.length))) },
    { weight: 2, arbitrary: invalidUtf8(text) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' \r\n\t',
        '\ufeff{"jsonrpc":"2.0","id":1,"method":"ping"}',
        '{"jsonrpc":"2.0","id":1,"method":"ping"}xyz',
        '{"jsonrpc":"2.0","id":1,"method":"ping"}{"jsonrpc":"2.0","id":2,"method":"ping"}',
        '{"jsonrpc":"2.0","id":1,"method":"ping",}',
        "{'jsonrpc':'2.0'}",
        '[]',
        '[[]]',
        '[1,2,3]',
        '[null]',
        '"string"',
        '42',
        'null',
        'true',
        '{"jsonrpc":"2.0","id":1,"method":"ping","id":2}',
        '{"__proto__":{"polluted":"yes"},"jsonrpc":"2.0","id":1,"method":"ping"}',
      ),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  );
}

/** A tools/call whose body is within a few hundred bytes of the limit, on either side. */
function nearLimit(maxBodyBytes: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: -400, max: 400 }), fc.constantFrom('x', 'é', '🙂', '\\u0000', '\\"'))
    .map(([delta, unit]) => {
      const head = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${FX.echo}","arguments":{"message":"`;
      const tail = '"}}}';
      const room = maxBodyBytes + delta - Buffer.byteLength(head + tail);
      const each = Buffer.byteLength(unit);
      return head + unit.repeat(Math.max(0, Math.floor(room / each))) + tail;
    });
}

/** Byte sequences that are not UTF-8, spliced into an otherwise plausible body. */
function invalidUtf8(text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  const bad = fc.constantFrom(
    [0xff],
    [0xfe, 0xff],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0x80],
    [0xe2, 0x82],
    [0x00],
  );
  return fc.tuple(text, bad, fc.nat()).map(([t, bytes, at]) => {
    const buf = Buffer.from(t, 'utf8');
    const i = at % (buf.length + 1);
    return Buffer.concat([buf.subarray(0, i), Buffer.from(bytes), buf.subarray(i)]);
  });
}

/** A header value as latin1, so non-ASCII text goes out as its UTF-8 bytes (what a careless client sends). */
const wire = (value: string) =>
  Buffer.from(value, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

/** `good` four times in five, otherwise anything from `arb`: body fuzzing needs headers that let the body through. */
export const mostly = <T>(good: T, arb: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: arb });

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Content-Type values: JSON with and without parameters, wrong types, garbage. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset="UTF-8"',
    'application/json; charset=utf-16le',
    'application/json; charset=latin1',
    'application/json; charset=nope',
    'application/json;;;',
    'application/json; boundary=x',
    'text/plain',
    'text/event-stream',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '*/*',
    '',
  ),
  fc.string({ maxLength: 30 }).map(wire),
);

/** Accept values: missing, wrong, wildcard, what SDK clients send. */
export const accept = fc.oneof(
  fc.constantFrom(
    'application/json, text/event-stream',
    'application/json',
    'text/event-stream',
    '*/*',
    'text/html',
    'application/*',
    '',
    'application/json;q=0, text/event-stream;q=0',
  ),
  fc.string({ maxLength: 30 }).map(wire),
);

/** Mcp-Session-Id values that name no session. */
const sessionId = fc.oneof(
  fc.constantFrom('', ' ', '00000000-0000-0000-0000-000000000000', '../../x', '__proto__', 'constructor', '%00'),
  fc.uuid(),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(wire),
  fc.constantFrom(1_000, 8_000).map((n) => 's'.repeat(n)),
);

/** MCP-Protocol-Version values, known and not. */
export const protocolVersion = fc.oneof(
  fc.constantFrom(
    '2026-07-28',
    '2025-11-25',
    '2025-06-18',
    '2025-03-26',
    '2024-11-05',
    '1999-01-01',
    '2026-07-28, 2025-11-25',
    'latest',
    '',
  ),
  fc.string({ maxLength: 20 }).map(wire),
);

/** Random values for Mcp-Method / Mcp-Name / Last-Event-ID. */
const headerText = fc.oneof(fc.constantFrom(...METHODS, FX.echo, '', '0', '-1'), oddString.map(wire));
/** Last-Event-ID values: numbers, ids of other streams, garbage. */
export const lastEventIdHeader = fc.oneof(
  fc.constantFrom('0', '-1', '1e9', 'x_0', '__proto__', ''),
  fc.string({ maxLength: 60 }).map(wire),
  fc.uuid().map((u) => `${u}_1`),
);

/** Optional headers of every kind the gateway reads, each random. */
export const randomHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record({
    'content-type': optional(contentType),
    accept: optional(accept),
    'mcp-session-id': fc.option(sessionId, { nil: undefined, freq: 4 }),
    'mcp-protocol-version': optional(protocolVersion),
    'mcp-method': fc.option(headerText, { nil: undefined, freq: 4 }),
    'mcp-name': fc.option(headerText, { nil: undefined, freq: 4 }),
    'last-event-id': fc.option(lastEventIdHeader, { nil: undefined, freq: 4 }),
    'content-encoding': fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-nope'), {
      nil: undefined,
      freq: 12,
    }),
    origin: fc.option(fc.constantFrom('http://localhost', 'http://evil.example', 'null', ''), {
      nil: undefined,
      freq: 8,
    }),
    host: fc.option(fc.constantFrom('localhost', 'evil.example', '127.0.0.1:1', '[::1]', ''), {
      nil: undefined,
      freq: 8,
    }),
  })
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);

/** Headers of a 2026-07-28 request: the version, and Mcp-Method/Mcp-Name that mostly agree with the body. */
export function modernHeaders(body: string | Buffer): fc.Arbitrary<Record<string, string>> {
  const text = typeof body === 'string' ? body : '';
  const method = /"method":"([^"]*)"/.exec(text)?.[1];
  const name = /"name":"([^"]*)"/.exec(text)?.[1];
  return fc
    .record({
      method: fc.oneof(
        { weight: 3, arbitrary: fc.constant(method) },
        { weight: 1, arbitrary: fc.option(headerText, { nil: undefined }) },
      ),
      name: fc.oneof(
        { weight: 3, arbitrary: fc.constant(name) },
        { weight: 1, arbitrary: fc.option(headerText, { nil: undefined }) },
      ),
      accept: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json, text/event-stream') }, accept),
    })
    .map(({ method: m, name: n, accept: a }) => ({
      'content-type': 'application/json',
      'mcp-protocol-version': '2026-07-28',
      accept: a,
      ...(m !== undefined ? { 'mcp-method': wire(m) } : {}),
      ...(n !== undefined ? { 'mcp-name': wire(n) } : {}),
    }));
}

/** HTTP methods Node's client will send (it refuses non-tokens; the raw socket covers those). */
export const httpMethod = fc.constantFrom(
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
);

const ROUTES = [
  '/mcp',
  '/sse',
  '/messages',
  '/health',
  '/ready',
  '/metrics',
  '/api/v1/admin/status',
  '/api/v1/admin/servers',
  '/api/v1/admin/servers/fx',
  '/api/v1/admin/sessions',
  '/api/v1/admin/reload',
  '/api/v1/admin/metrics',
];
const segment = fc.oneof(
  fc.constantFrom('..', '.', '', 'mcp', 'api', 'v1', 'admin', 'servers', 'fx', 'enable', '%2e%2e', '%2f', '%', '%ZZ'),
  fc.constantFrom('%E0%A4%A', '%C0%AF', '%00', '%ff', '__proto__', 'constructor', ';', '*', '~'),
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?', '?sessionId=', '?sessionId=%', '?sessionId[]=1&sessionId=2', '?a=%E0', '?__proto__[x]=1'),
  fc.string({ maxLength: 30 }).map((s) => `?${encodeURI(s).replace(/#/g, '%23')}`),
);

/**
 * Paths: the real routes with odd suffixes, traversal, encodings and query strings, and very long
 * ones. Never an admin `disable` (it would take the fixture backend away from the rest of the fuzz).
 */
export const httpPath = fc
  .oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), query).map(([r, q]) => r + q) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(segment, fc.constantFrom('', '/enable', '/x'), query)
        .map(([s, action, q]) => `/api/v1/admin/servers/${s}${action}${q}`),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('', ...ROUTES), fc.array(segment, { maxLength: 4 }), query)
        .map(([r, s, q]) => `${r}/${s.join('/')}${q}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(2_000, 15_000).map((n) => `/mcp/${'a'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom('//mcp', '/./mcp', '/mcp/../mcp', '/%2e%2e/mcp', '/MCP', '/mcp%00', '*') },
  )
  .map((p) => p.replace(/[^\u0021-\u00ff]/g, (c) => encodeURIComponent(c)))
  .filter((p) => !/disable/i.test(p));

/** A request line, headers and body that a careful client would never write, as raw bytes and write pacing. */
export interface RawExchange {
  /** Written in order, `pauseMs` apart. */
  chunks: Buffer[];
  pauseMs: number;
  /** The client stops writing before the end: the gateway must simply wait, then let go. */
  abandon: boolean;
}

const CRLF = '\r\n';
const goodHead = (extra = '') =>
  `POST /mcp HTTP/1.1${CRLF}Host: localhost${CRLF}Content-Type: application/json${CRLF}${extra}`;
const ping = '{"jsonrpc":"2.0","id":1,"method":"ping"}';

/** Malformed HTTP: bad request lines, huge or broken headers, smuggling attempts, slow and partial writes. */
export const rawExchange: fc.Arbitrary<RawExchange> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom(
        `GARBAGE${CRLF}${CRLF}`,
        `GET /mcp HTTP/9.9${CRLF}Host: localhost${CRLF}${CRLF}`,
        `GET${CRLF}${CRLF}`,
        `get /health HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `GET http://evil.example/health HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `OPTIONS * HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `CONNECT localhost:1 HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `GET /health HTTP/1.0${CRLF}${CRLF}`,
        `GET /health${CRLF}${CRLF}`,
        `GET /he alth HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `GET /\u0000 HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`,
        `GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}X: a\u0000b${CRLF}${CRLF}`,
        `GET /health HTTP/1.1${CRLF}Host: localhost${CRLF} folded${CRLF}${CRLF}`,
        `GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}Bad Header: x${CRLF}${CRLF}`,
        `GET /health HTTP/1.1\nHost: localhost\n\n`,
        `GET /health HTTP/1.1\rHost: localhost\r\r`,
        `${goodHead(`Content-Length: 5${CRLF}Content-Length: 40${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Content-Length: 40${CRLF}Transfer-Encoding: chunked${CRLF}`)}${CRLF}0${CRLF}${CRLF}`,
        `${goodHead(`Transfer-Encoding: chunked${CRLF}`)}${CRLF}zz${CRLF}${ping}${CRLF}0${CRLF}${CRLF}`,
        `${goodHead(`Transfer-Encoding: chunked, identity${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Content-Length: -1${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Content-Length: abc${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Content-Length: 99999999999999999999${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Expect: 100-continue${CRLF}Content-Length: ${ping.length}${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Expect: nonsense${CRLF}Content-Length: ${ping.length}${CRLF}`)}${CRLF}${ping}`,
        `${goodHead(`Content-Length: ${ping.length}${CRLF}Connection: close${CRLF}`)}${CRLF}${ping}`,
        `GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}GET /ready HTTP/1.1${CRLF}Host: localhost${CRLF}Connection: close${CRLF}${CRLF}`,
      ),
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    )
    .map((text) => ({ chunks: [Buffer.from(text, 'latin1')], pauseMs: 0, abandon: false })),
  // Headers over Node's 16 KB limit, or very many.
  fc.constantFrom(20_000, 70_000).map((n) => ({
    chunks: [Buffer.from(`GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}X-Big: ${'a'.repeat(n)}${CRLF}${CRLF}`)],
    pauseMs: 0,
    abandon: false,
  })),
  fc.constantFrom(500, 3_000).map((n) => ({
    chunks: [
      Buffer.from(
        `GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}${Array.from({ length: n }, (_, i) => `X-H${i}: v`).join(CRLF)}${CRLF}${CRLF}`,
      ),
    ],
    pauseMs: 0,
    abandon: false,
  })),
  // Slow, partial writes: a valid start, dribbled out, then the client goes away.
  fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 8 }), fc.boolean())
    .map(([size, count, declareMore]) => {
      const text = `${goodHead(`Content-Length: ${declareMore ? 1000 : ping.length}${CRLF}`)}${CRLF}${ping}`;
      const chunks: Buffer[] = [];
      for (let i = 0; i < count && i * size < text.length; i++)
        chunks.push(Buffer.from(text.slice(i * size, (i + 1) * size)));
      return { chunks, pauseMs: 15, abandon: true };
    }),
);
