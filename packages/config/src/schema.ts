/**
 * The Only1MCP configuration schema: one zod schema, parsed once at the edge, then passed down.
 * Every object is strict, so a misspelt key is an error rather than a silently ignored setting.
 * Names use snake_case as users write them in YAML.
 */
import { z } from 'zod';
import { duration, optionalDuration, size } from './units';

/** Server ids: lower-case letters, digits, `_` and `-`; they prefix tool names, so they stay short. */
export const SERVER_ID_PATTERN = /^[a-z0-9_-]+$/;
/** The transports a backend can use. */
export const TRANSPORTS = ['stdio', 'http', 'sse'] as const;
/** The load-balancing algorithms `routing.algorithm` accepts. */
export const ROUTING_ALGORITHMS = [
  'round_robin',
  'least_connections',
  'random',
  'weighted',
  'consistent_hash',
] as const;
/** Log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

const stringMap = z.record(z.string(), z.string());

/** Settings that tune how the gateway talks to one backend; each has a default. */
const backendTuning = {
  /** Display name; defaults to the id. */
  name: z.string().min(1).optional().meta({ description: 'Display name; defaults to the id.' }),
  /** Prefix for this server's tool and prompt names; defaults to the id, "" exposes names unchanged. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_\-.]*$/, { message: 'may only contain letters, digits, "_", "-" and "."' })
    .max(64)
    .optional()
    .meta({ description: 'Prefix for tool and prompt names; defaults to the id. "" exposes the names unchanged.' }),
  /** A disabled server stays in the file but is not started. */
  enabled: z.boolean().default(true).meta({ description: 'false keeps the server in the file without starting it.' }),
  /** How long connecting (spawn + initialize, or HTTP handshake) may take. */
  connect_timeout: duration('10s'),
  /** How long one request to this backend may take. */
  request_timeout: duration('60s'),
  /**
   * How client sessions share this backend. `shared`: one connection per replica for everyone.
   * `per_session`: each 2025-11-25 client session (HTTP, SSE, stdio) gets its own connection
   * (its own process, for stdio), opened on its first call and closed with the session or when
   * idle, so the backend's sampling, elicitation and roots requests and its log messages reach
   * exactly the client whose call caused them.
   */
  connection: z
    .strictObject({
      mode: z.enum(['shared', 'per_session']).default('shared').meta({
        description:
          'shared: one connection per replica; per_session: one per client session (server-to-client requests reach the right client).',
      }),
      idle_timeout: duration('5m').meta({
        description: 'per_session: a session connection unused this long is closed.',
      }),
    })
    .prefault({}),
  /** Circuit breaker per replica (opossum). */
  circuit_breaker: z
    .strictObject({
      enabled: z.boolean().default(true),
      error_threshold_percentage: z
        .number()
        .min(1)
        .max(100)
        .default(50)
        .meta({ description: 'Open when this % of calls in the window fail.' }),
      volume_threshold: z
        .number()
        .int()
        .min(1)
        .default(5)
        .meta({ description: 'Calls needed in the window before the breaker may open.' }),
      rolling_window: duration('10s').meta({ description: 'The window over which failures are counted.' }),
      reset_timeout: duration('30s').meta({
        description: 'How long the breaker stays open before letting a trial call through.',
      }),
    })
    .prefault({}),
  /** Per-server overrides of the global health settings. */
  health: z
    .strictObject({
      enabled: z.boolean().optional(),
      interval: optionalDuration(),
      timeout: optionalDuration(),
      unhealthy_threshold: z.number().int().min(1).optional(),
      healthy_threshold: z.number().int().min(1).optional(),
    })
    .optional(),
};

const stdioServer = z.strictObject({
  id: z.string(),
  transport: z.literal('stdio'),
  command: z.string().min(1, { message: 'must name the program to run' }),
  args: z.array(z.string()).default([]),
  env: stringMap
    .default({})
    .meta({ description: 'Extra environment variables for the process (use ${VAR} for secrets).' }),
  cwd: z.string().optional().meta({ description: "Working directory; defaults to the gateway's." }),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .meta({ description: 'How many processes to run; calls are balanced across them.' }),
  restart: z
    .strictObject({
      initial_delay: duration('500ms'),
      max_delay: duration('30s'),
      max_attempts: z
        .number()
        .int()
        .min(0)
        .default(0)
        .meta({ description: 'Restarts in a row before giving up; 0 means never give up.' }),
    })
    .prefault({}),
  ...backendTuning,
});

const weightedUrl = z.strictObject({
  url: httpUrl,
  weight: z.number().int().min(1).max(1000).default(1),
});

const remoteFields = {
  id: z.string(),
  url: httpUrl.optional().meta({ description: 'The endpoint; use urls for several replicas.' }),
  urls: z
    .array(z.union([httpUrl, weightedUrl]))
    .min(1, { message: 'must list at least one URL' })
    .optional()
    .meta({ description: 'Replica endpoints; an entry may be {url, weight} for weighted routing.' }),
  headers: stringMap.default({}).meta({ description: 'Headers sent on every request (use ${VAR} for secrets).' }),
  ...backendTuning,
};

const httpServer = z.strictObject({ transport: z.literal('http'), ...remoteFields });
const sseServer = z.strictObject({ transport: z.literal('sse'), ...remoteFields });

/** One backend MCP server, as written in the file (before cross-field checks). */
export const ServerConfigSchema = z.discriminatedUnion('transport', [stdioServer, httpServer, sseServer]);

const healthSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    interval: duration('10s').meta({ description: 'Time between probes of each replica.' }),
    timeout: duration('5s').meta({ description: 'How long one probe may take.' }),
    unhealthy_threshold: z
      .number()
      .int()
      .min(1)
      .default(3)
      .meta({ description: 'Failed probes in a row that mark a replica unhealthy.' }),
    healthy_threshold: z
      .number()
      .int()
      .min(1)
      .default(2)
      .meta({ description: 'Successful probes in a row that mark it healthy again.' }),
  })
  .prefault({});

/** The whole configuration file, key by key (the rules across keys are in {@link crossCheck}). */
export const BaseConfigSchema = z.strictObject({
  server: z
    .strictObject({
      host: z
        .string()
        .min(1)
        .default('127.0.0.1')
        .meta({ description: 'Address to listen on; loopback unless the operator opens it.' }),
      port: z
        .number({ message: 'must be a number' })
        .int({ message: 'must be a whole number' })
        .min(1, { message: 'must be between 1 and 65535' })
        .max(65535, { message: 'must be between 1 and 65535' })
        .default(8080),
      allowed_hosts: z
        .array(z.string())
        .default([])
        .meta({ description: 'Host header values accepted besides loopback names (DNS-rebinding protection).' }),
      allowed_origins: z
        .array(z.string())
        .default([])
        .meta({ description: 'Origin header values accepted besides loopback origins.' }),
      max_body_size: size('4MB').meta({ description: 'Largest request body accepted; larger ones get 413.' }),
      shutdown_timeout: duration('10s').meta({ description: 'How long shutdown waits for in-flight calls.' }),
      request_state_secret: z.string().min(32, { message: 'must be at least 32 characters' }).optional().meta({
        description:
          'Signs the state a client echoes back in multi-round calls (input_required). Every replica needs the same one (use ${VAR}); absent: a random key per process.',
      }),
      session_idle_timeout: duration('30m').meta({
        description:
          'A 2025-11-25 session with no request and no open GET stream for this long is closed (its id then gets 404).',
      }),
      session_hibernate_after: duration('1m').meta({
        description:
          'A 2025-11-25 session quiet this long (no request, no open stream, no subscription, no per-session backend connection) is kept as a small record instead of an SDK server; its next request wakes it (it then has no replay history). 0 keeps every session awake.',
      }),
      session_hibernate_after_handshake: duration('200ms').meta({
        description:
          'A new 2025-11-25 session that has sent nothing since its handshake but list requests sleeps this long after it (0: at once) rather than after session_hibernate_after: an idle session then costs a small record, not an SDK server that lingers in the heap. Its lists are answered asleep; its first other request wakes it (the handshake replayed: about 2 ms of gateway CPU, once). At or above session_hibernate_after, new sessions sleep like any other.',
      }),
      allow_unauthenticated: z.boolean().default(false).meta({
        description:
          'Serve a non-loopback address without `auth` (a trusted network only); otherwise the gateway refuses to start.',
      }),
      headers_timeout: duration('10s').meta({
        description: 'A client must send its request headers within this time (slow-client protection).',
      }),
      request_timeout: duration('30s').meta({
        description:
          'A client must send its whole request (headers and body) within this time; streams are not limited.',
      }),
      max_streams_per_client: z.number().int().min(1).default(16).meta({
        description: 'Open SSE streams (GET /mcp, GET /sse) one client may hold at once; more get 429.',
      }),
    })
    .prefault({}),
  servers: z.array(ServerConfigSchema).min(1, { message: 'must list at least one backend server' }),
  routing: z
    .strictObject({
      algorithm: z.enum(ROUTING_ALGORITHMS).default('round_robin'),
      separator: z
        .string()
        .regex(/^[A-Za-z0-9_\-./]{1,4}$/, {
          message: 'must be 1 to 4 characters from letters, digits, "_", "-", "." and "/"',
        })
        .default('__')
        .meta({ description: 'Joins a server prefix and a tool or prompt name.' }),
      page_size: z
        .number()
        .int()
        .min(1)
        .max(10_000)
        .default(100)
        .meta({ description: 'Items per page of the gateway’s own list results.' }),
    })
    .prefault({}),
  health: healthSchema,
  cache: z
    .strictObject({
      enabled: z.boolean().default(true),
      max_entries: z.number().int().min(1).default(10_000).meta({ description: 'In-process cache: most entries.' }),
      max_bytes: size('64MB').meta({ description: 'In-process cache: most bytes (of JSON).' }),
      resources: z
        .array(z.strictObject({ uri: z.string().min(1), ttl: duration('60s') }))
        .default([])
        .meta({ description: '`resources/read` results cached for URIs matching `uri` (a glob), for `ttl`.' }),
      tools: z
        .array(z.strictObject({ name: z.string().min(1), ttl: duration('60s') }))
        .default([])
        .meta({
          description:
            '`tools/call` results cached for tools whose public name matches `name` (a glob); key: name + arguments.',
        }),
    })
    .prefault({}),
  context: z
    .strictObject({
      default_profile: z.string().optional().meta({
        description:
          'The profile of clients that ask for none and whose roles select none; absent: the full catalogue.',
      }),
      profiles: z
        .record(
          z.string(),
          z.strictObject({
            allow: z.array(z.string()).default([]).meta({ description: 'Tool globs kept (empty: all).' }),
            deny: z.array(z.string()).default([]),
            compact_schemas: z.boolean().default(false),
            max_description_length: z.number().int().min(16).optional(),
            lazy_tools: z.boolean().default(false).meta({
              description: 'List a few meta-tools (search, describe, call) instead of every tool.',
            }),
            roles: z
              .array(z.string())
              .default([])
              .meta({ description: 'Clients with one of these roles use this profile.' }),
          }),
        )
        .default({}),
    })
    .prefault({}),
  auth: z
    .strictObject({
      api_keys: z
        .array(
          z.strictObject({
            client_id: z.string().min(1),
            key_hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, {
              message: 'must be "sha256:" followed by 64 lower-case hex digits (only1mcp auth hash-key prints one)',
            }),
            roles: z.array(z.string()).default([]),
          }),
        )
        .default([]),
      jwt: z
        .strictObject({
          issuer: z.string().optional(),
          audience: z.string().optional(),
          jwks_url: httpUrl.optional(),
          secret: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
          roles_claim: z.string().default('roles'),
        })
        .optional(),
      roles: z
        .record(
          z.string(),
          z.strictObject({
            allow: z.array(z.string()).default([]),
            deny: z.array(z.string()).default([]),
            admin: z.boolean().default(false),
          }),
        )
        .default({}),
      authorization_servers: z.array(httpUrl).default([]).meta({
        description:
          'OAuth authorization servers clients may log in with, named in /.well-known/oauth-protected-resource.',
      }),
      resource: httpUrl.optional().meta({
        description: 'This gateway’s public MCP URL (the OAuth resource); default: derived from the request.',
      }),
    })
    .optional(),
  audit: z
    .strictObject({
      enabled: z.boolean().default(false),
      file: z.string().min(1).default('stderr').meta({
        description: 'Where audit records go, as JSON lines: a file path (appended), or `stderr` / `stdout`.',
      }),
      include_arguments: z.boolean().default(false).meta({
        description: 'Record call arguments themselves, not only their hash.',
      }),
    })
    .prefault({}),
  rate_limit: z
    .strictObject({
      requests_per_second: z.number().positive(),
      burst: z.number().int().min(1),
      per_server: z
        .strictObject({
          requests_per_second: z.number().positive(),
          burst: z.number().int().min(1),
        })
        .optional()
        .meta({ description: 'Also limit each client per backend server (calls, reads, prompts).' }),
    })
    .optional(),
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' }),
      key_prefix: z.string().default('only1mcp:'),
    })
    .optional(),
  logging: z
    .strictObject({
      level: z.enum(LOG_LEVELS).default('info'),
      format: z.enum(['json', 'pretty']).default('json'),
    })
    .prefault({}),
});

/** A problem found by {@link crossCheck}: a key path and a message. */
export interface CrossCheckIssue {
  path: (string | number)[];
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Rules that span several keys (unique ids and prefixes, url or urls, roles that exist). It reads
 * the raw data defensively, so it reports its problems even when other parts of the file are
 * invalid: a user sees every problem at once.
 */
export function crossCheck(data: unknown): CrossCheckIssue[] {
  const issues: CrossCheckIssue[] = [];
  if (!isRecord(data)) return issues;
  const servers = Array.isArray(data.servers) ? data.servers : [];
  const seenIds = new Map<string, number>();
  const seenPrefixes = new Map<string, number>();
  servers.forEach((server: unknown, i) => {
    if (!isRecord(server)) return;
    const id = server.id;
    if (typeof id === 'string') {
      if (!SERVER_ID_PATTERN.test(id) || id.length > 64) {
        issues.push({
          path: ['servers', i, 'id'],
          message: `"${id}" is not a valid id: use 1 to 64 characters from a-z, 0-9, "_" and "-"`,
        });
      }
      const first = seenIds.get(id);
      if (first !== undefined) {
        issues.push({ path: ['servers', i, 'id'], message: `duplicate id "${id}" (also used by servers[${first}])` });
      } else {
        seenIds.set(id, i);
        const prefix = typeof server.prefix === 'string' ? server.prefix : id;
        const other = seenPrefixes.get(prefix);
        if (prefix !== '' && other !== undefined) {
          issues.push({
            path: ['servers', i, 'prefix'],
            message: `prefix "${prefix}" is already used by servers[${other}]; tool names would collide`,
          });
        } else if (prefix !== '') {
          seenPrefixes.set(prefix, i);
        }
      }
    }
    if (server.transport === 'http' || server.transport === 'sse') {
      if (server.url === undefined && server.urls === undefined) {
        issues.push({
          path: ['servers', i, 'url'],
          message: `a ${server.transport} server needs "url" (or "urls" for several replicas)`,
        });
      } else if (server.url !== undefined && server.urls !== undefined) {
        issues.push({ path: ['servers', i, 'urls'], message: 'give either "url" or "urls", not both' });
      }
    }
  });
  const context = isRecord(data.context) ? data.context : undefined;
  if (context && typeof context.default_profile === 'string') {
    const profiles = isRecord(context.profiles) ? context.profiles : {};
    if (!(context.default_profile in profiles))
      issues.push({
        path: ['context', 'default_profile'],
        message: `profile "${context.default_profile}" is not defined under context.profiles`,
      });
  }
  const auth = isRecord(data.auth) ? data.auth : undefined;
  if (auth && isRecord(auth.jwt) && auth.jwt.secret === undefined && auth.jwt.jwks_url === undefined) {
    issues.push({ path: ['auth', 'jwt'], message: 'needs either "secret" (HS256) or "jwks_url"' });
  }
  const roles = auth && isRecord(auth.roles) ? auth.roles : {};
  const keys = auth && Array.isArray(auth.api_keys) ? auth.api_keys : [];
  keys.forEach((key: unknown, i) => {
    if (!isRecord(key) || !Array.isArray(key.roles)) return;
    for (const role of key.roles) {
      if (typeof role === 'string' && !(role in roles)) {
        issues.push({
          path: ['auth', 'api_keys', i, 'roles'],
          message: `role "${role}" is not defined under auth.roles`,
        });
      }
    }
  });
  return issues;
}

/** The whole configuration file with every rule. */
export const ConfigSchema = BaseConfigSchema.superRefine((config, ctx) => {
  for (const issue of crossCheck(config)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** The configuration after validation, with every default filled in (durations in ms, sizes in bytes). */
export type Config = z.output<typeof ConfigSchema>;
/** The configuration as written in a file, before defaults. */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** One backend server after validation. */
export type ServerConfig = Config['servers'][number];
/** A stdio backend after validation. */
export type StdioServerConfig = Extract<ServerConfig, { transport: 'stdio' }>;
/** A Streamable HTTP or SSE backend after validation. */
export type RemoteServerConfig = Extract<ServerConfig, { transport: 'http' | 'sse' }>;
/** A backend transport name. */
export type Transport = (typeof TRANSPORTS)[number];
/** A load-balancing algorithm name. */
export type RoutingAlgorithm = (typeof ROUTING_ALGORITHMS)[number];
