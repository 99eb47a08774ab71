/**
 * The gateway's metrics on an injected prom-client Registry (never the global one, so tests and
 * several gateways in one process stay apart). Counters are fed where the events happen; gauges
 * that mirror state (sessions, backend health, breakers, pools) read it at scrape time from a
 * source the gateway supplies, so they can never drift from the truth. Every label value comes
 * from a bounded set: method names, error-code names, configured server and client ids.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ExposedMetrics } from './exposition';
import { BREAKER_STATE_VALUE, METRIC, REQUEST_DURATION_BUCKETS } from './metricNames';
import {
  HealthCheckCounter,
  registerBackendHealthGauge,
  registerProcessMetrics,
  registerRedisGauge,
  StateGauge,
} from './sharedMetrics';

/** Connections of one backend server by state (see {@link MetricsStateSource.servers}). */
export interface PoolSizes {
  /** Connected, with requests in flight. */
  active: number;
  /** Connected, nothing in flight. */
  idle: number;
  /** Connecting, or waiting to reconnect. */
  pending: number;
}

/** The `state` label values of the connection-pool gauge, in the order it exports them. */
const POOL_STATES = ['active', 'idle', 'pending'] as const satisfies readonly (keyof PoolSizes)[];

/** Live state the gauges read at scrape time. */
export interface MetricsStateSource {
  /** Open client sessions by front transport (`streamable_http`, `sse`). */
  sessions(): Record<string, number>;
  /** Open `subscriptions/listen` streams of current-protocol (2026-07-28) clients, which have no session. */
  listenStreams(): number;
  /** Each backend server: healthy (a replica up), the worst breaker state among its replicas, its connections. */
  servers(): { id: string; healthy: boolean; breaker: keyof typeof BREAKER_STATE_VALUE; pool?: PoolSizes }[];
  /** Whether Redis is reachable; given only when Redis is configured (otherwise there is no gauge). */
  redisConnected?(): boolean;
}

/** Options for {@link GatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Where the metrics are registered; `/metrics` serves this registry. */
  registry: Registry;
  /** Read at scrape time for the state gauges. */
  state: MetricsStateSource;
  /** Also export Node.js process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
}

/** Outcome label of a request: `ok`, or the JSON-RPC error code name (a bounded set). */
export type RequestStatus = 'ok' | string;

/** Cache layers (issue 7/8): in-process LRU, or shared through Redis. */
export type CacheLayer = 'memory' | 'redis';

/** The gateway's metrics. */
export class GatewayMetrics extends ExposedMetrics {
  /** Active health probes run by this gateway (its own checks). */
  readonly healthChecks: HealthCheckCounter;
  private readonly requests: Counter<'method' | 'status'>;
  private readonly duration: Histogram<'method'>;
  private readonly backendRequests: Counter<'server_id' | 'outcome'>;
  private readonly backendLatency: Histogram<'server_id'>;
  private readonly rateLimited: Counter<'client_id'>;
  private readonly tokensSaved: Counter;
  private readonly cacheRequests: Counter<'layer' | 'outcome'>;
  private readonly reloads: Counter<'outcome'>;
  private readonly lastReload: Gauge;
  /** Lookups since start, for the hit ratio. */
  private readonly cache = { hits: 0, lookups: 0 };

  constructor(options: GatewayMetricsOptions) {
    super(options.registry);
    const registry = options.registry;
    const registers = [registry];
    if (options.processMetrics ?? true) registerProcessMetrics(registry);
    this.requests = new Counter({
      name: METRIC.requestsTotal,
      help: 'MCP requests answered by the gateway, by method and outcome.',
      labelNames: ['method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: METRIC.requestDuration,
      help: 'Time to answer an MCP request, by method.',
      labelNames: ['method'],
      buckets: [...REQUEST_DURATION_BUCKETS],
      registers,
    });
    this.backendRequests = new Counter({
      name: METRIC.backendRequestsTotal,
      help: 'Requests routed to a backend server, by outcome (ok or error).',
      labelNames: ['server_id', 'outcome'],
      registers,
    });
    this.backendLatency = new Histogram({
      name: METRIC.backendLatency,
      help: 'Time a backend server took to answer a routed request (failures included), by server.',
      labelNames: ['server_id'],
      buckets: [...REQUEST_DURATION_BUCKETS],
      registers,
    });
    this.rateLimited = new Counter({
      name: METRIC.rateLimitExceeded,
      help: 'Requests refused because their client was over its rate limit, by client id.',
      labelNames: ['client_id'],
      registers,
    });
    this.tokensSaved = new Counter({
      name: METRIC.contextTokensSaved,
      help: 'Tokens not sent to clients thanks to context optimization (filtering, compaction, lazy loading).',
      registers,
    });
    this.cacheRequests = new Counter({
      name: METRIC.cacheRequestsTotal,
      help: 'Cache lookups by layer (memory, redis) and outcome (hit, miss).',
      labelNames: ['layer', 'outcome'],
      registers,
    });
    const cache = this.cache;
    new Gauge({
      name: METRIC.cacheHitRatio,
      help: 'Share of cache lookups answered from a cache since start (0 when there were none).',
      registers,
      collect() {
        this.set(cache.lookups === 0 ? 0 : cache.hits / cache.lookups);
      },
    });
    this.reloads = new Counter({
      name: METRIC.configReloadsTotal,
      help: 'Configuration reloads (file change, SIGHUP or admin API), by outcome (success or failure).',
      labelNames: ['outcome'],
      registers,
    });
    this.lastReload = new Gauge({
      name: METRIC.configLastReloadSuccess,
      help: 'Whether the last configuration reload succeeded (1) or was refused and the previous one kept (0).',
      registers,
    });
    this.lastReload.set(1);
    this.healthChecks = new HealthCheckCounter(registry);

    const state = options.state;
    new Gauge({
      name: METRIC.sessionsActive,
      help: 'Open client sessions on this replica, by front transport.',
      labelNames: ['transport'],
      registers,
      collect() {
        this.reset();
        for (const [transport, count] of Object.entries(state.sessions())) this.set({ transport }, count);
      },
    });
    new Gauge({
      name: METRIC.listenStreams,
      help: 'Open subscriptions/listen streams of current-protocol (2026-07-28) clients on this replica.',
      registers,
      collect() {
        this.set(state.listenStreams());
      },
    });
    // Three gauges read every server's state; a scrape reads them in one turn, so they
    // share one reading of it (100 backends: 3 × 100 status objects a scrape otherwise).
    let reading: ReturnType<MetricsStateSource['servers']> | undefined;
    const servers = () => {
      if (!reading) {
        reading = state.servers();
        queueMicrotask(() => (reading = undefined));
      }
      return reading;
    };
    registerBackendHealthGauge(registry, servers);
    // Only a replica configured with Redis has the gauge (an unlabelled gauge cannot be absent otherwise).
    const redisConnected = state.redisConnected;
    if (redisConnected) registerRedisGauge(registry, () => redisConnected());
    new StateGauge({
      name: METRIC.circuitBreakerState,
      help: "Worst circuit-breaker state among a server's replicas: 0 closed, 1 open, 2 half-open.",
      labelNames: ['server_id'],
      registers,
      read: () => servers().map((s) => ({ labels: { server_id: s.id }, value: BREAKER_STATE_VALUE[s.breaker] })),
    });
    new StateGauge({
      name: METRIC.connectionPoolSize,
      help: 'Backend connections by server and state: active (requests in flight), idle, pending (connecting).',
      labelNames: ['server_id', 'state'],
      registers,
      read: () =>
        servers().flatMap(({ id, pool }) =>
          pool ? POOL_STATES.map((state) => ({ labels: { server_id: id, state }, value: pool[state] })) : [],
        ),
    });
  }

  /** Records one answered request. `method` must come from a bounded set (MCP method names). */
  observeRequest(method: string, status: RequestStatus, seconds: number): void {
    this.requests.inc({ method, status });
    this.duration.observe({ method }, seconds);
  }

  /** Records one request routed to a backend server, and how long it took when known. */
  observeBackendRequest(serverId: string, ok: boolean, seconds?: number): void {
    this.backendRequests.inc({ server_id: serverId, outcome: ok ? 'ok' : 'error' });
    if (seconds !== undefined) this.backendLatency.observe({ server_id: serverId }, seconds);
  }

  /** Records a request refused by the rate limiter; `clientId` is a configured client id. */
  observeRateLimited(clientId: string): void {
    this.rateLimited.inc({ client_id: clientId });
  }

  /** Adds tokens saved by context optimization. */
  addTokensSaved(tokens: number): void {
    if (tokens > 0) this.tokensSaved.inc(tokens);
  }

  /** Records one cache lookup. */
  observeCache(layer: CacheLayer, hit: boolean): void {
    this.cacheRequests.inc({ layer, outcome: hit ? 'hit' : 'miss' });
    this.cache.lookups += 1;
    if (hit) this.cache.hits += 1;
  }

  /** Records a configuration reload. */
  observeReload(ok: boolean): void {
    this.reloads.inc({ outcome: ok ? 'success' : 'failure' });
    this.lastReload.set(ok ? 1 : 0);
  }
}
