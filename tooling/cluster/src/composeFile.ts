/**
 * The `docker compose up` deployment as data: docker-compose.yml parsed with `yaml`, the stages of
 * the Dockerfile its services build, and the little of compose's semantics the checks need
 * (bind mounts, depends_on, `${VAR:-default}` in environment values). Docker cannot run on every
 * machine that runs the tests, so the deployment is checked by reading it.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The repository's root folder (this file is in tooling/cluster/src, or dist once built). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The files of the compose deployment, by role. */
export const DEPLOY_FILES = {
  compose: join(REPO_ROOT, 'docker-compose.yml'),
  dockerfile: join(REPO_ROOT, 'Dockerfile'),
  gatewayConfig: join(REPO_ROOT, 'deploy', 'config', 'gateway.yaml'),
  haproxy: join(REPO_ROOT, 'deploy', 'haproxy', 'haproxy.cfg'),
  prometheus: join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml'),
  grafanaDatasources: join(REPO_ROOT, 'deploy', 'grafana', 'provisioning', 'datasources'),
  grafanaDashboardProviders: join(REPO_ROOT, 'deploy', 'grafana', 'provisioning', 'dashboards'),
  grafanaDashboards: join(REPO_ROOT, 'deploy', 'grafana', 'dashboards'),
} as const;

/** Service names in docker-compose.yml, by role (they are also the host names on its network). */
export const COMPOSE_SERVICES = {
  redis: 'redis',
  gateway: 'gateway',
  healthWorker: 'health-worker',
  /** The HTTP backend of the example configuration (`web`): server-everything over Streamable HTTP. */
  exampleBackend: 'everything-http',
  /** HAProxy in front of the gateway replicas. */
  balancer: 'lb',
  prometheus: 'prometheus',
  grafana: 'grafana',
} as const;

/** A volume entry in its long form. */
export interface ComposeVolume {
  type?: string;
  source?: string;
  target?: string;
  read_only?: boolean;
}

/** A compose health check. */
export interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

/** One service, typed loosely: the keys the checks read, anything else left as unknown. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; target?: string; dockerfile?: string };
  deploy?: { replicas?: number };
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | Record<string, unknown>)[];
  expose?: (string | number)[];
  volumes?: (string | ComposeVolume)[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
  [key: string]: unknown;
}

/** docker-compose.yml, typed loosely. */
export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Reads and parses a compose file; throws when it is not a mapping with a `services` mapping. */
export function loadComposeFile(path: string = DEPLOY_FILES.compose): ComposeFile {
  const data: unknown = parse(readFileSync(path, 'utf8'));
  const services = (data as { services?: unknown } | null)?.services;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) {
    throw new Error(`${path}: expected a mapping with a "services" mapping`);
  }
  return data as ComposeFile;
}

/** The services a service waits for, whichever form `depends_on` takes. */
export function dependsOnNames(service: ComposeService): string[] {
  const deps = service.depends_on;
  if (deps === undefined) return [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

/** A host path mounted into a container. */
export interface BindMount {
  /** Absolute host path. */
  source: string;
  target: string;
  readOnly: boolean;
}

/**
 * The bind mounts of a service, host paths resolved against `composeDir`. A short-form source
 * that is not a path (no `.`, `/` or `~` first) names a volume, not a host path, as in compose.
 */
export function bindMounts(service: ComposeService, composeDir: string = dirname(DEPLOY_FILES.compose)): BindMount[] {
  const mounts: BindMount[] = [];
  for (const volume of service.volumes ?? []) {
    if (typeof volume === 'string') {
      const [source = '', target = '', mode = ''] = volume.split(':');
      if (!/^[./~]/.test(source)) continue;
      mounts.push({ source: resolveHostPath(source, composeDir), target, readOnly: mode.split(',').includes('ro') });
    } else if (volume.type === 'bind' && volume.source !== undefined) {
      mounts.push({
        source: resolveHostPath(volume.source, composeDir),
        target: volume.target ?? '',
        readOnly: volume.read_only === true,
      });
    }
  }
  return mounts;
}

function resolveHostPath(source: string, composeDir: string): string {
  return isAbsolute(source) ? source : resolve(composeDir, source);
}

// ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message}; $$ is a literal $.
const COMPOSE_VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Compose's interpolation of one value: `${VAR:-default}` uses the default when VAR is unset or
 * empty, `${VAR-default}` only when unset; `${VAR:?message}` throws with the message.
 */
export function interpolateCompose(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(
    COMPOSE_VARIABLE,
    (whole, braced?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const found = env[name];
      const missing = found === undefined || (colon === ':' && found === '');
      if (!missing) return found;
      if (op === '-') return arg ?? '';
      if (op === '?') throw new Error(`${name}: ${arg || 'required variable is not set'}`);
      return '';
    },
  );
}

/** A service's environment as its container sees it, with compose's `${...}` resolved from `env`. */
export function serviceEnvironment(
  service: ComposeService,
  env: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const entries: [string, string][] = [];
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const eq = item.indexOf('=');
      if (eq > 0) entries.push([item.slice(0, eq), item.slice(eq + 1)]);
    }
  } else {
    for (const [key, value] of Object.entries(raw)) {
      if (value !== null) entries.push([key, String(value)]);
    }
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolateCompose(value, env)]));
}

/** One `FROM … AS name` stage of a Dockerfile and the instructions under it. */
export interface DockerfileStage {
  /** The stage name (`AS name`), or its index when unnamed. */
  name: string;
  /** The image or stage it starts from, as written. */
  from: string;
  /** Its instructions after FROM, continuation lines joined, comments dropped (`USER node`, `RUN …`). */
  instructions: string[];
}

/** Splits a Dockerfile into its stages. */
export function dockerfileStages(text: string): DockerfileStage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: DockerfileStage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(line);
    }
  }
  return stages;
}

/** The instructions that apply to a stage's container: its ancestors' (the stages it is built FROM) first, its own last. */
function inheritedInstructions(stages: readonly DockerfileStage[], name: string): string[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const chain: DockerfileStage[] = [];
  for (let stage = byName.get(name); stage !== undefined; stage = byName.get(stage.from)) chain.unshift(stage);
  return chain.flatMap((stage) => stage.instructions);
}

/**
 * The environment a stage's container starts with, from the ENV instructions of it and of the
 * stages it is built FROM (later ones win; `ENV NAME=VALUE …` form, unquoted values).
 */
export function stageEnv(stages: readonly DockerfileStage[], name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of inheritedInstructions(stages, name).filter((i) => /^ENV\s/i.test(i)))
    for (const [, key, value] of instruction.replace(/^ENV\s+/i, '').matchAll(/(\w+)=(\S*)/g)) env[key!] = value!;
  return env;
}

/** The user a stage's container runs as: its last USER instruction, else the base image's (`root` for node images). */
export function stageUser(stages: readonly DockerfileStage[], name: string): string {
  const user = inheritedInstructions(stages, name)
    .filter((i) => /^USER\s/i.test(i))
    .at(-1);
  return user === undefined ? 'root' : user.replace(/^USER\s+/i, '').trim();
}
