/**
 * One configured backend server and its replicas: connects them, restarts them with exponential
 * backoff when they drop, guards each with a circuit breaker, and routes each request to a
 * healthy replica through the load balancer (retrying idempotent requests once elsewhere).
 */
import CircuitBreaker from 'opossum';
import type { RoutingAlgorithm, ServerConfig } from '@only1mcp/config';
import { CURRENT_PROTOCOL_VERSION, GatewayError, type ServerCapabilities } from '@only1mcp/mcp-types';
import {
  createBackendConnection,
  replicaTargets,
  startsProcess,
  type BackendConnection,
  type BackendConnectionEvents,
  type BackendRequestOptions,
} from './backendConnection';
import { createLoadBalancer, type Candidate, type LoadBalancer } from './loadBalancer';
import { SessionConnections, type CallingSession } from './sessionConnections';
import { EraMemory } from './sdkConnection';
import type { Logger } from '@only1mcp/logger';
import type { StartGate } from './startGate';
import type { BucketRotation } from './bucketRotation';

/** Methods that may be sent again on another replica after a failure. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/get',
  'completion/complete',
  'ping',
]);

/** Replica states. */
export type ReplicaState = 'connecting' | 'up' | 'down' | 'stopped';

/** A snapshot of one replica for /health and the admin API. */
export interface ReplicaStatus {
  id: string;
  state: ReplicaState;
  breaker: 'closed' | 'open' | 'half-open';
  inFlight: number;
  restarts: number;
  lastError?: string;
  /** What active health checks last said. */
  health: ActiveHealth;
  /** Recent answer time of this replica (moving average, ms); absent until it answered once. */
  latencyMs?: number;
}

/** A backend's connections by state: active (requests in flight), idle, pending (connecting or about to retry). */
export interface PoolStatus {
  active: number;
  idle: number;
  pending: number;
}

/** Weight of the newest sample in a replica's moving-average latency. */
const LATENCY_SMOOTHING = 0.2;

/** Buckets in a breaker's rolling window (opossum's default): one lasts `rolling_window / 10`. */
const BREAKER_BUCKETS = 10;

/** Options for {@link Backend}. */
export interface BackendOptions {
  algorithm: RoutingAlgorithm;
  logger: Logger;
  /** Notified when a replica comes up (its index), so the catalogue can be (re)read. */
  onReplicaUp?: (backend: Backend, replica: number) => void;
  onListChanged?: BackendConnectionEvents['onListChanged'];
  onResourceUpdated?: BackendConnectionEvents['onResourceUpdated'];
  onLog?: BackendConnectionEvents['onLog'];
  /** Injected for tests: how connections are made. */
  connect?: typeof createBackendConnection;
  /** Shared by the backends of a registry: how many of their processes start at once. */
  startGate?: StartGate;
  /** Shared by the backends of a registry: the timer that turns their breakers' windows (else one per breaker). */
  bucketRotation?: BucketRotation;
}

/** Per-request options. */
export interface BackendCallOptions {
  /** Sticky key for `consistent_hash` (the client session). */
  sessionKey?: string;
  signal?: AbortSignal;
  /** Receives the backend's progress notifications for this call. */
  onProgress?: BackendRequestOptions['onProgress'];
  /** The client session making the call; a `per_session` backend serves it on the session's own connection. */
  session?: CallingSession;
  /** The calling client's capabilities (see BackendRequestOptions). */
  clientCapabilities?: BackendRequestOptions['clientCapabilities'];
  /**
   * Replica affinity for multi-round calls: when `replica` is set, only that replica is used (the
   * backend's `requestState` is only good there); the replica that answered is written back.
   */
  affinity?: { replica?: number };
}

type Call = (
  method: string,
  params: Record<string, unknown> | undefined,
  options: BackendCallOptions,
) => Promise<Record<string, unknown>>;

interface Replica {
  index: number;
  id: string;
  weight: number;
  connection: BackendConnection;
  /** Its connects take a turn at the registry's start gate (they start a process). */
  gated: boolean;
  state: ReplicaState;
  inFlight: number;
  restarts: number;
  failuresInARow: number;
  timer?: NodeJS.Timeout;
  /** The connect attempt in progress, which stop() waits for so no process outlives it. */
  connecting?: Promise<void>;
  breaker: CircuitBreaker<Parameters<Call>, Record<string, unknown>>;
  lastError?: string;
  /** What active health checks last said (issue 4/8); `unhealthy` takes the replica out of rotation. */
  health: ActiveHealth;
  latencyMs?: number;
}

/** A replica's active health: from the health checker, in process or through Redis. */
export type ActiveHealth = 'unknown' | 'healthy' | 'unhealthy';

/** Errors that say the backend is unwell (they trip breakers); a backend's own JSON-RPC errors do not. */
function isBackendFault(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    (err.codeName === 'BackendTimeout' || err.codeName === 'BackendUnavailable' || err.codeName === 'BackendError')
  );
}

/** True when the request certainly never reached the backend, so even a tools/call may go elsewhere. */
function neverSent(err: unknown): boolean {
  return err instanceof GatewayError && err.context.notSent === true;
}

/**
 * opossum rejects with its own error (code EOPENBREAKER) when a call meets an open breaker, or a
 * half-open one whose single trial call is already out; the request never left, so say so.
 */
function breakerRejection(err: unknown, replica: Replica): GatewayError | undefined {
  if ((err as { code?: unknown } | null)?.code !== 'EOPENBREAKER') return undefined;
  return new GatewayError('CircuitOpen', `Backend replica ${replica.id} is failing: its circuit breaker is open`, {
    cause: err,
    context: { replica: replica.id, notSent: true },
  });
}

/** One backend server with its replicas. */
export class Backend {
  readonly id: string;
  private readonly replicas: Replica[];
  private readonly balancer: LoadBalancer;
  private stopped = false;
  /** Requests in flight on any connection of this backend; a drain waits for them. */
  private pending = 0;
  private readonly idleWaiters = new Set<() => void>();
  /** Connections of client sessions, in `per_session` mode. */
  private readonly sessions?: SessionConnections;

  constructor(
    readonly config: ServerConfig,
    private readonly options: BackendOptions,
  ) {
    this.id = config.id;
    this.balancer = createLoadBalancer(options.algorithm);
    const make = options.connect ?? createBackendConnection;
    // What one connection finds of the server's protocol era, the others use (sdkConnection.ts).
    const era = new EraMemory();
    const connect: typeof createBackendConnection = (id, target, logger, events) =>
      make(id, target, logger, events, era);
    if (config.connection.mode === 'per_session')
      this.sessions = new SessionConnections(config, options.logger, connect);
    this.replicas = replicaTargets(config).map(({ target, weight }, index) => {
      const id = `${config.id}#${index}`;
      const replica = {
        index,
        id,
        weight,
        state: 'down',
        inFlight: 0,
        restarts: 0,
        failuresInARow: 0,
        health: 'unknown',
        gated: startsProcess(target),
      } as Replica;
      replica.connection = connect(id, target, options.logger, {
        onClose: (reason) => this.replicaLost(replica, reason),
        onListChanged: options.onListChanged,
        onResourceUpdated: options.onResourceUpdated,
        onLog: options.onLog,
        declareInputCapabilities: config.connection.mode === 'per_session',
      });
      replica.breaker = this.createBreaker(replica);
      return replica;
    });
  }

  private createBreaker(replica: Replica): Replica['breaker'] {
    const cb = this.config.circuit_breaker;
    const clock = this.options.bucketRotation?.controller(Math.floor(cb.rolling_window / BREAKER_BUCKETS));
    const breaker = new CircuitBreaker<Parameters<Call>, Record<string, unknown>>(
      (method, params, options) =>
        replica.connection.request(method, params, {
          timeoutMs: this.config.request_timeout,
          signal: options.signal,
          onProgress: options.onProgress,
          clientCapabilities: options.clientCapabilities,
        }),
      {
        timeout: false, // the connection enforces request_timeout itself
        errorThresholdPercentage: cb.error_threshold_percentage,
        volumeThreshold: cb.volume_threshold,
        rollingCountTimeout: cb.rolling_window,
        rollingCountBuckets: BREAKER_BUCKETS,
        resetTimeout: cb.reset_timeout,
        enabled: cb.enabled,
        // Only the backend being unwell counts; "unknown tool" and the like are normal answers.
        errorFilter: (err: unknown) => !isBackendFault(err),
        // Nothing reads the stats snapshots or latency percentiles (replicas keep their own latency):
        // no snapshot timer, and no sorting of the window's latencies whenever a call fails.
        enableSnapshots: false,
        rollingPercentilesEnabled: false,
        rotateBucketController: clock,
      },
    );
    clock?.follow(breaker.status);
    breaker.on('open', () => this.options.logger.warn('circuit breaker opened', { replica: replica.id }));
    breaker.on('close', () => this.options.logger.info('circuit breaker closed', { replica: replica.id }));
    return breaker;
  }

  /** Connects every replica; resolves when each has connected or failed once (failures retry in the background). */
  async start(): Promise<void> {
    if (!this.config.enabled) return;
    await Promise.all(this.replicas.map((r) => this.connectReplica(r)));
  }

  private connectReplica(replica: Replica): Promise<void> {
    const attempt = this.tryConnect(replica).finally(() => {
      if (replica.connecting === attempt) replica.connecting = undefined;
    });
    replica.connecting = attempt;
    return attempt;
  }

  private async tryConnect(replica: Replica): Promise<void> {
    if (this.stopped) return;
    replica.state = 'connecting';
    // connect_timeout counts from the turn on: waiting for one is not the backend being slow.
    const connect = async () => {
      if (!this.stopped) await replica.connection.connect(this.config.connect_timeout);
    };
    const gate = replica.gated ? this.options.startGate : undefined;
    try {
      await (gate ? gate.run(connect) : connect());
      if (this.stopped) {
        await replica.connection.close();
        return;
      }
      replica.state = 'up';
      replica.failuresInARow = 0;
      replica.lastError = undefined;
      // A new connection (a restarted process) does not inherit the verdicts on the one that died:
      // an open breaker, or an `unhealthy` from probes that failed while it was down, would keep a
      // working replica out of rotation for reset_timeout or healthy_threshold intervals. Active
      // checks judge the new process from here on.
      if (replica.breaker.opened || replica.breaker.halfOpen) replica.breaker.close();
      if (replica.health === 'unhealthy') replica.health = 'unknown';
      this.options.logger.info('backend replica connected', {
        replica: replica.id,
        protocolVersion: replica.connection.protocolVersion,
      });
      this.options.onReplicaUp?.(this, replica.index);
    } catch (err) {
      // stop() aborts connects in progress; that is not a failure to report or retry.
      if (this.stopped) return;
      replica.state = 'down';
      replica.lastError = (err as Error).message;
      this.options.logger.warn('backend replica failed to connect', { replica: replica.id, error: replica.lastError });
      this.scheduleReconnect(replica);
    }
  }

  private replicaLost(replica: Replica, reason: string): void {
    if (this.stopped || replica.state === 'stopped') return;
    replica.state = 'down';
    replica.lastError = reason;
    this.options.logger.warn('backend replica disconnected', { replica: replica.id, reason });
    this.scheduleReconnect(replica);
  }

  private scheduleReconnect(replica: Replica): void {
    if (this.stopped || replica.timer) return;
    const restart =
      this.config.transport === 'stdio'
        ? this.config.restart
        : { initial_delay: 500, max_delay: 30_000, max_attempts: 0 };
    replica.failuresInARow += 1;
    if (restart.max_attempts > 0 && replica.failuresInARow > restart.max_attempts) {
      this.options.logger.error('backend replica gave up restarting', {
        replica: replica.id,
        attempts: restart.max_attempts,
      });
      return;
    }
    const delay = Math.min(restart.max_delay, restart.initial_delay * 2 ** (replica.failuresInARow - 1));
    this.options.logger.info('backend replica restart scheduled', {
      replica: replica.id,
      delayMs: delay,
      attempt: replica.failuresInARow,
    });
    replica.timer = setTimeout(() => {
      replica.timer = undefined;
      replica.restarts += 1;
      void replica.connection.close().then(() => this.connectReplica(replica));
    }, delay);
    replica.timer.unref();
  }

  /** True when at least one replica is connected. */
  get isUp(): boolean {
    return this.replicas.some((r) => r.state === 'up');
  }

  /** The indexes of the replicas connected now. */
  get upReplicas(): number[] {
    return this.replicas.filter((r) => r.state === 'up').map((r) => r.index);
  }

  /** Capabilities of the first connected replica (replicas of one server are the same server). */
  get capabilities(): ServerCapabilities | undefined {
    return this.replicas.find((r) => r.state === 'up')?.connection.capabilities;
  }

  /** Sends one request to a replica chosen by the balancer (or the calling session's own connection). */
  async request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendCallOptions = {},
  ): Promise<Record<string, unknown>> {
    this.pending += 1;
    try {
      return await this.dispatch(method, params, options);
    } finally {
      this.pending -= 1;
      if (this.pending === 0) for (const wake of this.idleWaiters) wake();
    }
  }

  /**
   * Waits until no request is in flight, up to `timeoutMs`; true when it got there. The registry
   * drains a backend it removed or replaced (hot reload) before stopping it.
   */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(drained);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending;
  }

  private async dispatch(
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendCallOptions,
  ): Promise<Record<string, unknown>> {
    if (this.sessions && options.session) {
      if (!this.config.enabled || this.stopped)
        throw new GatewayError('BackendUnavailable', `Backend ${this.id} is stopped`);
      const { session, signal, onProgress, clientCapabilities } = options;
      return this.sessions.request(session, method, params, {
        timeoutMs: this.config.request_timeout,
        signal,
        onProgress,
        clientCapabilities,
      });
    }
    const pinned = options.affinity?.replica;
    if (pinned !== undefined) return this.requestOn(pinned, method, params, options);
    const tried = new Set<number>();
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const replica = this.pick(tried, options.sessionKey);
      if (!replica) break;
      tried.add(replica.index);
      replica.inFlight += 1;
      try {
        const result = await this.timed(replica, () => replica.breaker.fire(method, params, options));
        if (options.affinity) options.affinity.replica = replica.index;
        return result;
      } catch (caught) {
        const err = breakerRejection(caught, replica) ?? caught;
        lastError = err;
        if (!isBackendFault(err) && !neverSent(err)) throw err;
        replica.lastError = (err as Error).message;
        const retry = IDEMPOTENT_METHODS.has(method) || neverSent(err);
        if (!retry) throw err;
      } finally {
        replica.inFlight -= 1;
      }
    }
    if (lastError) throw lastError;
    const open = this.replicas.some((r) => r.state === 'up' && r.breaker.opened);
    if (open)
      throw new GatewayError('CircuitOpen', `Backend ${this.id} is failing: every replica's circuit breaker is open`, {
        context: { server: this.id },
      });
    throw new GatewayError('BackendUnavailable', `Backend ${this.id} has no healthy replica`, {
      context: { server: this.id },
    });
  }

  /** A later round of a multi-round call: on the replica that holds its state, or not at all. */
  private async requestOn(
    index: number,
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendCallOptions,
  ): Promise<Record<string, unknown>> {
    const replica = this.replicas[index];
    if (!replica || replica.state !== 'up') {
      throw new GatewayError(
        'InvalidParams',
        'Invalid or expired requestState: the backend replica that held it is gone',
        {
          expose: true,
          context: { server: this.id },
        },
      );
    }
    replica.inFlight += 1;
    try {
      return await this.timed(replica, () => replica.breaker.fire(method, params, options));
    } finally {
      replica.inFlight -= 1;
    }
  }

  /** Runs a request on a replica, folding the answer time of a success into its moving average. */
  private async timed<T>(replica: Replica, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    replica.latencyMs =
      replica.latencyMs === undefined ? ms : replica.latencyMs + LATENCY_SMOOTHING * (ms - replica.latencyMs);
    return result;
  }

  private pick(exclude: Set<number>, key?: string): Replica | undefined {
    const candidates: Candidate[] = this.replicas
      .filter((r) => r.state === 'up' && r.health !== 'unhealthy' && !exclude.has(r.index) && !r.breaker.opened)
      .map((r) => ({ index: r.index, inFlight: r.inFlight, weight: r.weight }));
    const chosen = this.balancer.pick(candidates, key);
    return chosen === undefined ? undefined : this.replicas[chosen.index];
  }

  /** Replica snapshots for health reporting. */
  status(): ReplicaStatus[] {
    return this.replicas.map((r) => ({
      id: r.id,
      state: r.state,
      breaker: r.breaker.opened ? 'open' : r.breaker.halfOpen ? 'half-open' : 'closed',
      inFlight: r.inFlight,
      restarts: r.restarts,
      health: r.health,
      ...(r.latencyMs === undefined ? {} : { latencyMs: Math.round(r.latencyMs * 100) / 100 }),
      ...(r.lastError === undefined ? {} : { lastError: r.lastError }),
    }));
  }

  /** Connections by state; a session's own connection (`per_session`) counts as idle. */
  pool(): PoolStatus {
    const pool: PoolStatus = { active: 0, idle: this.sessions?.size ?? 0, pending: 0 };
    for (const r of this.replicas) {
      if (r.state === 'up') pool[r.inFlight > 0 ? 'active' : 'idle'] += 1;
      else if (r.state === 'connecting' || (r.state === 'down' && r.timer)) pool.pending += 1;
    }
    return pool;
  }

  /**
   * Probes one replica the way active health checks do: an MCP `ping` on its live connection
   * (`server/discover` for a 2026-07-28 backend, whose protocol has no ping).
   * Rejects when the replica is not connected or does not answer within `timeoutMs`.
   */
  async probe(index: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const replica = this.replicas[index];
    if (!replica || replica.state !== 'up')
      throw new GatewayError('BackendUnavailable', `Replica ${this.id}#${index} is not connected`);
    // The current protocol has no ping; its cheapest request is server/discover.
    const method = replica.connection.protocolVersion === CURRENT_PROTOCOL_VERSION ? 'server/discover' : 'ping';
    await replica.connection.request(method, undefined, { timeoutMs, signal });
  }

  /** Records what active health checks say about one replica. */
  setHealth(index: number, health: ActiveHealth): void {
    const replica = this.replicas[index];
    if (replica && replica.health !== health) {
      this.options.logger.info('backend replica health changed', {
        replica: replica.id,
        from: replica.health,
        to: health,
      });
      replica.health = health;
    }
  }

  /** How many replicas this backend has. */
  get replicaCount(): number {
    return this.replicas.length;
  }

  /** True when the session has a connection of its own here (`per_session` mode). */
  holdsSession(key: string): boolean {
    return this.sessions?.has(key) ?? false;
  }

  /** Closes the connection a client session had of its own (`per_session` mode). */
  async releaseSession(key: string): Promise<void> {
    await this.sessions?.release(key);
  }

  /** Applies a session's log level to its own connection (`per_session` mode). */
  async setSessionLogLevel(key: string, level: string): Promise<void> {
    await this.sessions?.setLogLevel(key, level);
  }

  /** Tells this backend, on the session's own connection, that the client's roots changed. */
  async sessionRootsChanged(key: string): Promise<void> {
    await this.sessions?.rootsChanged(key);
  }

  /** Open per-session connections. */
  get sessionConnections(): number {
    return this.sessions?.size ?? 0;
  }

  /** Stops reconnecting and closes every replica (ending stdio processes). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.sessions?.close();
    await Promise.all(
      this.replicas.map(async (r) => {
        if (r.timer) clearTimeout(r.timer);
        r.state = 'stopped';
        r.breaker.shutdown();
        // Closing also aborts a connect in progress; waiting for it means its process is gone too.
        await r.connection.close();
        await r.connecting;
      }),
    );
  }
}
