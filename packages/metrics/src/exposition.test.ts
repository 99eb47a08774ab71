import { Counter, Gauge, Histogram, Registry, Summary, type RegistryContentType } from 'prom-client';
import { prometheusText } from './exposition';
import { GatewayMetrics, WorkerMetrics } from './index';
import { StateGauge } from './sharedMetrics';

/** Label values a careless backend id or method name could carry: every character prom-client escapes. */
const AWKWARD = ['back\\slash', 'new\nline', 'quo"te', 'all \\ " \n three', 'ünïcødé ✓', ''];

/** A registry holding every kind of metric and series prom-client writes, none of them read from the process. */
function everyKind(registry: Registry<RegistryContentType> = new Registry()): Registry<RegistryContentType> {
  const registers = [registry];
  const counter = new Counter({
    name: 'c_total',
    help: 'A counter\\ with a\nnewline.',
    labelNames: ['a', 'b'],
    registers,
  });
  AWKWARD.forEach((value, i) => counter.inc({ a: value, b: String(i) }, i + 0.5));
  new Counter({ name: 'c_unlabelled_total', help: 'No labels.', registers }).inc(3);
  new Counter({ name: 'c_unused_total', help: 'Labels, no series yet.', labelNames: ['a'], registers });
  const gauge = new Gauge({ name: 'g', help: 'Odd values.', labelNames: ['v'], registers });
  gauge.set({ v: 'nan' }, NaN);
  gauge.set({ v: 'inf' }, Infinity);
  gauge.set({ v: '-inf' }, -Infinity);
  gauge.set({ v: 'tiny' }, 1e-7);
  gauge.set({ v: 'big' }, 2 ** 60);
  gauge.set({ v: 'negative' }, -0.25);
  const histogram = new Histogram({
    name: 'h_seconds',
    help: 'Labelled.',
    labelNames: ['m'],
    buckets: [0.1, 1],
    registers,
  });
  histogram.observe({ m: 'one' }, 0.05);
  histogram.observe({ m: 'two"' }, 2);
  new Histogram({ name: 'h_plain_seconds', help: 'Unlabelled.', buckets: [0.5], registers }).observe(0.2);
  const summary = new Summary({
    name: 's',
    help: 'A summary.',
    labelNames: ['k'],
    percentiles: [0.5, 0.99],
    registers,
  });
  summary.observe({ k: 'x' }, 4);
  summary.observe({ k: 'x' }, 8);
  new StateGauge({
    name: 'state',
    help: 'Read at the scrape.',
    labelNames: ['server_id', 'state'],
    registers,
    read: () => AWKWARD.map((id, i) => ({ labels: { server_id: id, state: 'idle' }, value: i })),
  });
  return registry;
}

describe('prometheusText', () => {
  it('writes what prom-client writes, byte for byte, for every kind of metric and awkward label value', async () => {
    const registry = everyKind();
    const ours = await prometheusText(registry);
    expect(ours).toBe(await registry.metrics());
    expect(ours).toContain('c_total{a="all \\\\ \\" \\n three",b="3"} 3.5');
    expect(ours).toContain('h_seconds_bucket{le="+Inf",m="two\\""} 1');
  });

  it('writes the gateway’s and the health-worker’s own metrics as prom-client does', async () => {
    const registry = new Registry();
    const metrics = new GatewayMetrics({
      registry,
      state: {
        sessions: () => ({ streamable_http: 2, sse: 1 }),
        listenStreams: () => 1,
        servers: () => [
          { id: 'files', healthy: true, breaker: 'closed', pool: { active: 1, idle: 2, pending: 0 } },
          { id: 'git', healthy: false, breaker: 'half-open' },
        ],
        redisConnected: () => true,
      },
      processMetrics: false,
    });
    metrics.observeRequest('tools/call', 'ok', 0.003);
    metrics.observeBackendRequest('files', false, 0.2);
    metrics.observeCache('memory', true);
    metrics.healthChecks.observe('git', false);
    expect((await metrics.exposition()).body).toBe(await registry.metrics());

    const workerRegistry = new Registry();
    const worker = new WorkerMetrics(
      workerRegistry,
      { servers: () => [{ id: 'files', healthy: true }], leading: () => true, redisConnected: () => false },
      { processMetrics: false },
    );
    worker.healthChecks.observe('files', true);
    expect((await worker.exposition()).body).toBe(await workerRegistry.metrics());
  });

  it('has only ASCII help texts, so a scrape’s text is a one-byte string (one character outside it doubles it)', () => {
    const registry = new Registry();
    const state = { servers: () => [], redisConnected: () => true };
    new GatewayMetrics({ registry, state: { ...state, sessions: () => ({}), listenStreams: () => 0 } });
    const workerRegistry = new Registry();
    new WorkerMetrics(workerRegistry, { ...state, leading: () => true });
    const helps = [registry, workerRegistry].flatMap((r) =>
      r.getMetricsAsArray().map((metric) => (metric as unknown as { help: string }).help),
    );
    expect(helps.filter((help) => !/^[\x20-\x7e]*$/.test(help))).toEqual([]);
  });

  it('writes an empty registry as prom-client does', async () => {
    const registry = new Registry();
    expect(await prometheusText(registry)).toBe(await registry.metrics());
  });

  it('leaves a registry with default labels to prom-client, which merges them into every series', async () => {
    const registry = everyKind();
    registry.setDefaultLabels({ replica: 'r1', a: 'default' });
    const text = await prometheusText(registry);
    expect(text).toBe(await registry.metrics());
    expect(text).toContain('c_unlabelled_total{replica="r1",a="default"} 3');
  });

  it('leaves an OpenMetrics registry to prom-client', async () => {
    const openMetrics = new Registry<RegistryContentType>();
    openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const registry = everyKind(openMetrics);
    const text = await prometheusText(registry);
    expect(text).toBe(await registry.metrics());
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('writes the process metrics’ blocks as prom-client does', async () => {
    const registry = new Registry();
    new GatewayMetrics({ registry, state: { sessions: () => ({}), listenStreams: () => 0, servers: () => [] } });
    // Their values, and some of their series (a first GC of a kind, a new kind of handle), move
    // between two reads: the blocks are compared, each line's form is checked.
    const ours = await prometheusText(registry);
    const headers = (text: string) => text.split('\n').filter((line) => line.startsWith('#'));
    expect(headers(ours)).toEqual(headers(await registry.metrics()));
    for (const line of ours.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
      expect(line).toMatch(
        /^only1mcp_[a-z0-9_]+(\{[a-z0-9_]+="[^"]*"(,[a-z0-9_]+="[^"]*")*\})? ([-+0-9.e]+|Nan|[-+]Inf)$/i,
      );
  });
});
