/**
 * The registry: every configured backend, the aggregated catalogue, and routing of each call to
 * the backend that owns the name or URI.
 */
import type { Config, ServerConfig } from '@only1mcp/config';
import { GatewayError, LIST_METHODS, type ListMethod, type ServerCapabilities } from '@only1mcp/mcp-types';
import { Backend, type ActiveHealth, type BackendCallOptions, type PoolStatus, type ReplicaStatus } from './backend';
import { buildCatalog, type BackendLists, type Catalog } from './catalog';
import type { Logger } from '@only1mcp/logger';
import { StartGate } from './startGate';
import { BucketRotation } from './bucketRotation';

/** Options for {@link Registry}. */
export interface RegistryOptions {
  logger: Logger;
  /** Called after the catalogue changed (a backend came up or said a list changed), with the lists that differ. */
  onCatalogChanged?: (changed: ChangedList[]) => void;
  /** Called with a log message from a shared backend connection (not attributable to one client). */
  onLog?: (serverId: string, params: Record<string, unknown>) => void;
  /** Called when a backend says a subscribed resource changed. */
  onResourceUpdated?: (uri: string) => void;
  /**
   * Called when a replica of a server connects (at start-up, after a restart, or when a
   * reconfiguration replaced the server), with its index: the new process or connection holds
   * nothing the gateway asked of the one before, such as resource subscriptions.
   */
  onReplicaConnected?: (serverId: string, replica: number) => void;
  /** Called after each request routed to a backend settles (for metrics), with how long it took. */
  onBackendRequest?: (serverId: string, ok: boolean, seconds: number) => void;
  /**
   * Where backend processes (stdio replicas) take turns to start: by default one per core and one
   * more at once, and more while the machine's CPU sits idle (startGate.ts).
   */
  startGate?: StartGate;
}

/** What a reconfiguration did to the backends, by server id. */
export interface ReconfigureSummary {
  /** Started. */
  added: string[];
  /** Draining their calls in flight, then stopped. */
  removed: string[];
  /** Replaced: the old one drains and stops, a new one starts with the new settings. */
  changed: string[];
  /** Left alone: their connections and sessions are not disturbed. */
  unchanged: string[];
}

/** A list clients are told about when it changes (`resources` covers resources and templates). */
export type ChangedList = 'tools' | 'prompts' | 'resources';

/** Which of the client-visible lists differ between two catalogues. */
export function changedLists(before: Catalog, after: Catalog): ChangedList[] {
  // Lists of different lengths differ: no need to serialise them (at start-up every backend's
  // first lists lengthen the catalogue, and comparing 1,000 tools as JSON 50 times cost ~0.9 s).
  // Items from the same listings are the same objects in both (catalog.ts): only a list holding
  // a new one is compared as JSON (a backend that listed again what it had is no change).
  const same = (a: readonly unknown[], b: readonly unknown[]) =>
    a === b ||
    (a.length === b.length && (a.every((item, i) => item === b[i]) || JSON.stringify(a) === JSON.stringify(b)));
  const changed: ChangedList[] = [];
  if (!same(before.tools, after.tools)) changed.push('tools');
  if (!same(before.prompts, after.prompts)) changed.push('prompts');
  if (!same(before.resources, after.resources) || !same(before.resourceTemplates, after.resourceTemplates))
    changed.push('resources');
  return changed;
}

/** Effective active-health settings of a group of servers (durations in ms). */
export interface HealthSettings {
  interval: number;
  timeout: number;
  unhealthy_threshold: number;
  healthy_threshold: number;
}

/** Servers checked with the same settings, and their probe targets. */
export interface HealthPlan {
  settings: HealthSettings;
  /** Every replica of the group's servers, by id, with its probe. */
  targets(): { id: string; probe: (signal: AbortSignal) => Promise<void> }[];
}

/** One backend's health for /health. */
export interface ServerStatus {
  id: string;
  transport: string;
  enabled: boolean;
  up: boolean;
  replicas: ReplicaStatus[];
  /** Open connections of client sessions (`connection.mode: per_session`). */
  sessionConnections: number;
}

/** True when a backend was built from these settings (a reload leaves such a backend alone). */
function sameSettings(backend: Backend, settings: ServerConfig): boolean {
  return JSON.stringify(backend.config) === JSON.stringify(settings);
}

const EMPTY_LISTS: BackendLists = { tools: [], prompts: [], resources: [], resourceTemplates: [] };

/**
 * The wait before a backend's lists are read again after a failed read (a list that timed out
 * while the backend was busy starting, say); it doubles with each failure in a row, up to
 * {@link LIST_RETRY_MAX_MS}. Without it, a backend that is up but whose lists could not be read
 * once would offer nothing until it restarted or said its lists changed.
 */
const LIST_RETRY_FIRST_MS = 1_000;
const LIST_RETRY_MAX_MS = 30_000;

/** All backends and the aggregate over them. */
export class Registry {
  private backends: Backend[];
  /** Backends removed or replaced by a reconfiguration, draining before they stop. */
  private readonly retiring = new Set<Promise<void>>();
  /** Enabled or disabled at run time (admin API), over what the configuration says; kept across reloads. */
  private readonly overrides = new Map<string, boolean>();
  private readonly lists = new Map<string, BackendLists>();
  private current: Catalog;
  private refreshes = new Map<string, Promise<void>>();
  /** Backends whose lists changed again while being read. */
  private readonly again = new Set<string>();
  /** Backends whose last read of their lists failed: the wait before the next read, and its timer. */
  private readonly listRetries = new Map<Backend, { waitMs: number; timer?: NodeJS.Timeout }>();
  private readonly startGate: StartGate;
  /** The one timer (per bucket length) that turns the rolling windows of every backend's breakers. */
  private readonly bucketRotation = new BucketRotation();
  /**
   * The reconfiguration running, if any: they run one at a time (a reload and an admin enable may
   * come together), or both would start a backend for the same server and one would be orphaned.
   */
  private changing: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private config: Config,
    private readonly options: RegistryOptions,
  ) {
    this.startGate = options.startGate ?? new StartGate();
    this.backends = config.servers.map((server) => this.createBackend(server, config));
    this.current = this.rebuild();
  }

  /** A server's settings with the run-time override applied. */
  private effective(server: ServerConfig): ServerConfig {
    return this.overrides.has(server.id) ? { ...server, enabled: this.overrides.get(server.id)! } : server;
  }

  private createBackend(server: ServerConfig, config: Config): Backend {
    const backend: Backend = new Backend(this.effective(server), {
      algorithm: config.routing.algorithm,
      logger: this.options.logger,
      onReplicaUp: (b, replica) => {
        void this.refresh(b);
        // A backend still being started by a reconfiguration is told of once it is in place (see reconfigure).
        if (this.backend(b.id) === b) this.options.onReplicaConnected?.(b.id, replica);
      },
      onListChanged: () => void this.refresh(backend),
      onResourceUpdated: (uri) => this.options.onResourceUpdated?.(uri),
      onLog: (params) => this.options.onLog?.(server.id, params),
      startGate: this.startGate,
      bucketRotation: this.bucketRotation,
    });
    return backend;
  }

  /** The configuration in force (the last one applied by {@link reconfigure}). */
  get settings(): Config {
    return this.config;
  }

  /** The settings in force of server `id`; undefined for an id (or none) the configuration does not have. */
  serverSettings(id: string | undefined): ServerConfig | undefined {
    return id === undefined ? undefined : this.config.servers.find((s) => s.id === id);
  }

  /**
   * Applies a new configuration without a restart: servers added start, servers removed drain
   * their calls in flight (up to `server.shutdown_timeout`) and stop, servers whose settings
   * changed are replaced the same way, and the others are left alone, connections and sessions
   * included. A new backend connects before it takes over (or has failed once, then retries);
   * resolves once its lists are read. Clients hear of the catalogue change through `onCatalogChanged`.
   * Reconfigurations (and {@link setEnabled}) run one at a time, in the order asked for.
   */
  reconfigure(next: Config): Promise<ReconfigureSummary> {
    return this.oneAtATime(() => this.apply(next));
  }

  /** Runs `change` after every reconfiguration asked for before it; refused once stopped. */
  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changing.then(() => {
      if (this.stopped) throw new Error('the registry has stopped: the configuration cannot change');
      return change();
    });
    this.changing = run.catch(() => undefined);
    return run;
  }

  private async apply(next: Config): Promise<ReconfigureSummary> {
    const summary: ReconfigureSummary = { added: [], removed: [], changed: [], unchanged: [] };
    const previous = new Map(this.backends.map((b) => [b.id, b]));
    const retired: Backend[] = [];
    const started: Backend[] = [];
    const backends = next.servers.map((server) => {
      const old = previous.get(server.id);
      previous.delete(server.id);
      if (
        old &&
        next.routing.algorithm === this.config.routing.algorithm &&
        sameSettings(old, this.effective(server))
      ) {
        summary.unchanged.push(server.id);
        return old;
      }
      const candidate = this.createBackend(server, next);
      (old ? summary.changed : summary.added).push(server.id);
      if (old) retired.push(old);
      started.push(candidate);
      return candidate;
    });
    for (const old of previous.values()) {
      summary.removed.push(old.id);
      retired.push(old);
      this.lists.delete(old.id);
    }
    // New backends connect first, so a changed server keeps answering from its old backend until
    // its new one is up (or has failed once and retries), and an added one appears with its tools.
    await Promise.all(started.map((b) => b.start()));
    this.config = next;
    this.backends = backends;
    this.catalogChanged();
    for (const old of retired) this.retire(old, next.server.shutdown_timeout);
    for (const b of started) for (const replica of b.upReplicas) this.options.onReplicaConnected?.(b.id, replica);
    // Their lists were not read while they were not yet in the registry.
    await Promise.all(started.map((b) => this.refresh(b)));
    return summary;
  }

  /** Enables or disables a server at run time (admin API); the override outlives reloads. */
  setEnabled(id: string, enabled: boolean): Promise<ReconfigureSummary> {
    // Checked against the configuration in force when it runs (a reload before it may add or remove the server).
    return this.oneAtATime(() => {
      if (!this.config.servers.some((s) => s.id === id))
        throw new GatewayError('InvalidParams', `Unknown server: ${id}`, { expose: true, context: { server: id } });
      this.overrides.set(id, enabled);
      return this.apply(this.config);
    });
  }

  /** Drains a backend that left the configuration, then stops it; stop() waits for it. */
  private retire(backend: Backend, timeoutMs: number): void {
    const job = (async () => {
      const drained = await backend.drain(timeoutMs);
      if (!drained)
        this.options.logger.warn('backend stopped with calls still in flight', {
          server: backend.id,
          inFlight: backend.inFlight,
        });
      await backend.stop();
      this.options.logger.info('backend stopped: no longer configured as it was', { server: backend.id });
    })();
    this.retiring.add(job);
    void job.finally(() => this.retiring.delete(job));
  }

  /** Rebuilds the catalogue and tells clients which lists changed. */
  private catalogChanged(): void {
    const before = this.current;
    this.current = this.rebuild();
    const changed = changedLists(before, this.current);
    if (changed.length > 0) this.options.onCatalogChanged?.(changed);
  }

  /**
   * Connects every enabled backend; resolves once each has connected and been listed, or failed
   * (failures keep retrying). A backend that connected but does not answer its lists holds this
   * up for its `connect_timeout` more at most, not its `request_timeout`: its items join the
   * catalogue when they come, and clients hear of it through `onCatalogChanged`.
   */
  async start(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        await backend.start();
        const listing = this.refreshes.get(backend.id);
        if (!listing) return;
        let timer: NodeJS.Timeout | undefined;
        const listed = await Promise.race([
          listing.then(() => true),
          new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), backend.config.connect_timeout))),
        ]);
        clearTimeout(timer);
        if (!listed)
          this.options.logger.warn('starting without the lists of a backend that has not sent them yet', {
            server: backend.id,
            waitedMs: backend.config.connect_timeout,
          });
      }),
    );
  }

  /** Closes every backend and ends every stdio process. */
  async stop(): Promise<void> {
    // A reconfiguration under way finishes first, so the backends it started are stopped too.
    this.stopped = true;
    for (const retry of this.listRetries.values()) clearTimeout(retry.timer);
    this.listRetries.clear();
    await this.changing;
    await Promise.all([...this.backends.map((b) => b.stop()), ...this.retiring]);
    this.bucketRotation.stop();
  }

  private backend(id: string): Backend | undefined {
    return this.backends.find((b) => b.id === id);
  }

  /**
   * Re-reads one backend's lists (all pages) and rebuilds the catalogue. A change reported while a
   * read is running may not be in what that read saw, so it queues exactly one more read.
   */
  refresh(backend: Backend): Promise<void> {
    // A backend that was replaced or removed meanwhile no longer speaks for its id.
    if (this.backend(backend.id) !== backend) return Promise.resolve();
    const running = this.refreshes.get(backend.id);
    if (running) {
      this.again.add(backend.id);
      return running;
    }
    // Started a microtask later, so it is in `refreshes` before it can finish (a backend that offers
    // no lists finishes without awaiting anything, and would leave its entry behind forever).
    const job = Promise.resolve().then(async () => {
      try {
        const caps = backend.capabilities ?? {};
        const read = async (method: ListMethod): Promise<unknown[]> => {
          const key = LIST_METHODS[method];
          const items: unknown[] = [];
          let cursor: string | undefined;
          do {
            const page = await backend.request(method, cursor === undefined ? undefined : { cursor });
            items.push(...((page[key] as unknown[] | undefined) ?? []));
            cursor = typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : undefined;
          } while (cursor !== undefined);
          return items;
        };
        const lists: BackendLists = {
          tools: caps.tools ? ((await read('tools/list')) as BackendLists['tools']) : [],
          prompts: caps.prompts ? ((await read('prompts/list')) as BackendLists['prompts']) : [],
          resources: caps.resources ? ((await read('resources/list')) as BackendLists['resources']) : [],
          resourceTemplates: caps.resources
            ? ((await read('resources/templates/list')) as BackendLists['resourceTemplates'])
            : [],
        };
        if (this.backend(backend.id) !== backend) return;
        this.listRetries.delete(backend);
        this.lists.set(backend.id, lists);
        this.catalogChanged();
      } catch (err) {
        const retryInMs = this.retryLists(backend);
        this.options.logger.warn('could not read backend lists', {
          server: backend.id,
          error: (err as Error).message,
          ...(retryInMs === undefined ? {} : { retryInMs }),
        });
      } finally {
        this.refreshes.delete(backend.id);
      }
      if (this.again.delete(backend.id)) await this.refresh(backend);
    });
    this.refreshes.set(backend.id, job);
    return job;
  }

  /**
   * Reads `backend`'s lists again after a failed read, once {@link LIST_RETRY_FIRST_MS} has passed
   * (doubling with each failure in a row), if it is still the backend of its id and up then (a
   * replica that comes up reads them anyway). The wait, or undefined when no read is planned.
   */
  private retryLists(backend: Backend): number | undefined {
    if (this.stopped || this.backend(backend.id) !== backend) return undefined;
    const retry = this.listRetries.get(backend);
    if (retry?.timer) return undefined;
    const waitMs = retry ? Math.min(retry.waitMs * 2, LIST_RETRY_MAX_MS) : LIST_RETRY_FIRST_MS;
    const timer = setTimeout(() => {
      if (this.backend(backend.id) !== backend) return void this.listRetries.delete(backend);
      this.listRetries.set(backend, { waitMs });
      if (backend.isUp) void this.refresh(backend);
    }, waitMs).unref();
    this.listRetries.set(backend, { waitMs, timer });
    return waitMs;
  }

  private rebuild(): Catalog {
    const sources = this.backends
      .filter((b) => b.config.enabled)
      .map((b) => ({ serverId: b.id, prefix: b.config.prefix ?? b.id, lists: this.lists.get(b.id) ?? EMPTY_LISTS }));
    return buildCatalog(sources, this.config.routing.separator, this.options.logger);
  }

  /** The current aggregate. Items of backends that are down stay listed until a refresh says otherwise. */
  get catalog(): Catalog {
    return this.current;
  }

  /**
   * What the gateway advertises: the union of what its backends offer, for what it routes. The
   * lists are always declared, with `listChanged`, because backends may connect, change or drop
   * during a client's session and the client must hear of it; `completions` when any backend
   * that is up offers it; `resources.subscribe` when one that is up accepts subscriptions;
   * `logging` when one that is up logs (its messages reach clients through per-session connections).
   */
  capabilities(): ServerCapabilities {
    const up = this.backends.filter((b) => b.isUp);
    const completions = up.some((b) => b.capabilities?.completions !== undefined);
    const subscribe = up.some((b) => b.capabilities?.resources?.subscribe === true);
    const logging = up.some((b) => b.capabilities?.logging !== undefined);
    return {
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { listChanged: true, ...(subscribe ? { subscribe: true } : {}) },
      ...(completions ? { completions: {} } : {}),
      ...(logging ? { logging: {} } : {}),
    };
  }

  /** Routes `tools/call` to the owner of the public tool name. */
  async callTool(params: Record<string, unknown>, options?: BackendCallOptions): Promise<Record<string, unknown>> {
    return this.routeByName('tools/call', 'tool', this.current.toolOwners, params, options);
  }

  /** Routes `prompts/get` to the owner of the public prompt name. */
  async getPrompt(params: Record<string, unknown>, options?: BackendCallOptions): Promise<Record<string, unknown>> {
    // The spec's prompt arguments are strings; anything else is the client's error, whatever a backend would call it.
    const args = params.arguments;
    if (
      args !== undefined &&
      (typeof args !== 'object' ||
        args === null ||
        Array.isArray(args) ||
        Object.values(args).some((v) => typeof v !== 'string'))
    )
      throw new GatewayError('InvalidParams', 'prompts/get "arguments" must map names to strings', { expose: true });
    return this.routeByName('prompts/get', 'prompt', this.current.promptOwners, params, options);
  }

  private async routeByName(
    method: string,
    kind: string,
    owners: Map<string, { serverId: string; name: string }>,
    params: Record<string, unknown>,
    options?: BackendCallOptions,
  ): Promise<Record<string, unknown>> {
    const name = params.name;
    if (typeof name !== 'string') throw new GatewayError('InvalidParams', `${method} needs a "name"`);
    const owner = owners.get(name);
    if (!owner)
      throw new GatewayError('InvalidParams', `Unknown ${kind}: ${name}`, { context: { name }, expose: true });
    return this.send(owner.serverId, method, { ...params, name: owner.name }, options);
  }

  /** Sends a routed request to its owner and reports how it went. */
  private async send(
    serverId: string,
    method: string,
    params: Record<string, unknown>,
    options?: BackendCallOptions,
  ): Promise<Record<string, unknown>> {
    let ok = false;
    const started = performance.now();
    try {
      const result = await this.backend(serverId)!.request(method, params, options);
      ok = true;
      return result;
    } finally {
      this.options.onBackendRequest?.(serverId, ok, (performance.now() - started) / 1000);
    }
  }

  /** The server that owns a resource URI: listed URIs first, then templates, in configuration order. */
  resourceOwner(uri: string): string | undefined {
    return (
      this.current.resourceOwners.get(uri) ?? this.current.templateOwners.find((t) => t.pattern.test(uri))?.serverId
    );
  }

  /** Routes a request about a resource URI (`resources/read`, `subscribe`, `unsubscribe`). */
  async routeByUri(
    method: string,
    params: Record<string, unknown>,
    options?: BackendCallOptions,
  ): Promise<Record<string, unknown>> {
    const uri = params.uri;
    if (typeof uri !== 'string') throw new GatewayError('InvalidParams', `${method} needs a "uri"`);
    const owner = this.resourceOwner(uri);
    if (!owner) throw new GatewayError('InvalidParams', `Unknown resource: ${uri}`, { context: { uri }, expose: true });
    return this.send(owner, method, params, options);
  }

  /** Routes `completion/complete` by its reference (a prompt name or a resource URI). */
  async complete(params: Record<string, unknown>, options?: BackendCallOptions): Promise<Record<string, unknown>> {
    const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
    if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
      const owner = this.current.promptOwners.get(ref.name);
      if (!owner)
        throw new GatewayError('InvalidParams', `Unknown prompt: ${ref.name}`, {
          expose: true,
          context: { name: ref.name },
        });
      return this.send(
        owner.serverId,
        'completion/complete',
        { ...params, ref: { ...ref, name: owner.name } },
        options,
      );
    }
    if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
      const template = this.current.resourceTemplates.findIndex((t) => t.uriTemplate === ref.uri);
      const owner = template >= 0 ? this.current.templateOwners[template]!.serverId : this.resourceOwner(ref.uri);
      if (!owner)
        throw new GatewayError('InvalidParams', `Unknown resource: ${ref.uri}`, {
          expose: true,
          context: { uri: ref.uri },
        });
      return this.send(owner, 'completion/complete', params, options);
    }
    throw new GatewayError(
      'InvalidParams',
      'completion/complete needs ref/prompt with a name or ref/resource with a uri',
    );
  }

  /** True when a backend holds a connection of the session's own (`per_session`), which only the session can use. */
  holdsSession(key: string): boolean {
    return this.backends.some((b) => b.holdsSession(key));
  }

  /** Closes every connection a client session had of its own (the session ended). */
  async releaseSession(key: string): Promise<void> {
    await Promise.all(this.backends.map((b) => b.releaseSession(key)));
  }

  /** Applies a client session's log level (`logging/setLevel`) to the connections it has of its own. */
  async setSessionLogLevel(key: string, level: string): Promise<void> {
    await Promise.all(this.backends.map((b) => b.setSessionLogLevel(key, level)));
  }

  /** Forwards a client session's `notifications/roots/list_changed` to the connections it has of its own. */
  async sessionRootsChanged(key: string): Promise<void> {
    await Promise.all(this.backends.map((b) => b.sessionRootsChanged(key)));
  }

  /**
   * What active health checks probe, grouped by effective settings (the global `health` merged with
   * each server's `health` overrides; servers whose checks are disabled are left out): every
   * replica by id (`serverId#index`) with its probe (an MCP ping on the live connection).
   */
  healthPlans(): HealthPlan[] {
    const groups = new Map<string, { settings: HealthSettings; backends: Backend[] }>();
    for (const backend of this.backends) {
      if (!backend.config.enabled) continue;
      const own = backend.config.health ?? {};
      if (!(own.enabled ?? this.config.health.enabled)) continue;
      const settings: HealthSettings = {
        interval: own.interval ?? this.config.health.interval,
        timeout: own.timeout ?? this.config.health.timeout,
        unhealthy_threshold: own.unhealthy_threshold ?? this.config.health.unhealthy_threshold,
        healthy_threshold: own.healthy_threshold ?? this.config.health.healthy_threshold,
      };
      const key = JSON.stringify(settings);
      const group = groups.get(key) ?? { settings, backends: [] };
      group.backends.push(backend);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ settings, backends }) => ({
      settings,
      targets: () =>
        backends.flatMap((b) =>
          Array.from({ length: b.replicaCount }, (_, index) => ({
            id: `${b.id}#${index}`,
            probe: (signal: AbortSignal) => b.probe(index, settings.timeout, signal),
          })),
        ),
    }));
  }

  /** Applies an active health result (`serverId#index`); unknown ids are ignored (another configuration's). */
  applyHealth(id: string, health: ActiveHealth): void {
    const hash = id.lastIndexOf('#');
    const index = Number(id.slice(hash + 1));
    if (hash > 0 && Number.isInteger(index)) this.backend(id.slice(0, hash))?.setHealth(index, health);
  }

  /** Connections of every backend by state (for metrics). */
  pools(): { id: string; pool: PoolStatus }[] {
    return this.backends.map((b) => ({ id: b.id, pool: b.pool() }));
  }

  /** Health of every backend. */
  status(): ServerStatus[] {
    return this.backends.map((b) => ({
      id: b.id,
      transport: b.config.transport,
      enabled: b.config.enabled,
      up: b.isUp,
      replicas: b.status(),
      sessionConnections: b.sessionConnections,
    }));
  }

  /** True when replica `index` of server `id` is connected. */
  replicaUp(id: string, index: number): boolean {
    return this.backend(id)?.upReplicas.includes(index) ?? false;
  }

  /** True when every enabled backend has at least one connected replica. */
  get ready(): boolean {
    return this.backends.every((b) => !b.config.enabled || b.isUp);
  }
}
