/**
 * The gateway's metrics on an injected prom-client Registry (never the global one, so tests and
 * several gateways in one process stay apart). Counters are fed where the events happen; gauges
 * that mirror state (sessions, backend health, breakers) read it at scrape time from a source the
 * gateway supplies, so they can never drift from the truth.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { BREAKER_STATE_VALUE, METRIC, PROCESS_METRICS_PREFIX, REQUEST_DURATION_BUCKETS } from './metricNames';

/** Live state the gauges read at scrape time. */
export interface MetricsStateSource {
  /** Open client sessions by front transport (`streamable_http`, `sse`). */
  sessions(): Record<string, number>;
  /** Each backend server: healthy (at least one replica up) and the worst breaker state among its replicas. */
  servers(): { id: string; healthy: boolean; breaker: keyof typeof BREAKER_STATE_VALUE }[];
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

/** The gateway's metrics. */
export class GatewayMetrics {
  /** The registry these metrics live in. */
  readonly registry: Registry;
  private readonly requests: Counter<'method' | 'status'>;
  private readonly duration: Histogram<'method'>;
  private readonly backendRequests: Counter<'server_id' | 'outcome'>;

  constructor(options: GatewayMetricsOptions) {
    const registers = [options.registry];
    this.registry = options.registry;
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: options.registry, prefix: PROCESS_METRICS_PREFIX });
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
      name: METRIC.backendHealthStatus,
      help: 'Backend server health: 1 healthy (a replica is up), 0 not.',
      labelNames: ['server_id'],
      registers,
      collect() {
        this.reset();
        for (const s of state.servers()) this.set({ server_id: s.id }, s.healthy ? 1 : 0);
      },
    });
    const redisConnected = state.redisConnected;
    // Only a replica configured with Redis has the gauge (an unlabelled gauge cannot be absent otherwise).
    if (redisConnected) {
      new Gauge({
        name: METRIC.redisConnected,
        help: 'Redis reachable from this replica: 1 yes, 0 no.',
        registers,
        collect() {
          this.set(redisConnected() ? 1 : 0);
        },
      });
    }
    new Gauge({
      name: METRIC.circuitBreakerState,
      help: 'Worst circuit-breaker state among a server’s replicas: 0 closed, 1 open, 2 half-open.',
      labelNames: ['server_id'],
      registers,
      collect() {
        this.reset();
        for (const s of state.servers()) this.set({ server_id: s.id }, BREAKER_STATE_VALUE[s.breaker]);
      },
    });
  }

  /** Records one answered request. `method` must come from a bounded set (MCP method names). */
  observeRequest(method: string, status: RequestStatus, seconds: number): void {
    this.requests.inc({ method, status });
    this.duration.observe({ method }, seconds);
  }

  /** Records one request routed to a backend server. */
  observeBackendRequest(serverId: string, ok: boolean): void {
    this.backendRequests.inc({ server_id: serverId, outcome: ok ? 'ok' : 'error' });
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
