/**
 * The Prometheus text exposition of a registry, written as prom-client's `registry.metrics()`
 * writes it, byte for byte, with a fraction of its garbage. prom-client builds each line through
 * several arrays, an `Object.entries`, a spread and a `WeakMap` entry for an empty object, ~1.3 KiB
 * of garbage a line: with 100 backends a scrape made ~1.5 MiB (~4 MiB once each backend had a
 * latency histogram), all of it to be collected, much of it in the old generation; this makes
 * ~0.4 MiB (docs/BENCHMARKS.md, eighteenth pass). prom-client still holds and reads every metric;
 * only the text is written here. The format is Prometheus's text format 0.0.4; OpenMetrics, and a
 * registry with default labels, are left to prom-client.
 */
import { Registry, type MetricObjectWithValues, type MetricValueWithName, type RegistryContentType } from 'prom-client';

/** One series as prom-client hands it over; `sharedLabels` (histograms) are the series' own labels. */
type Series = MetricValueWithName<string> & { sharedLabels?: Record<string, unknown> };

/** A metric as prom-client reads it; histograms also answer without copying each series' labels into every bucket. */
type ReadableMetric = {
  get(): Promise<MetricObjectWithValues<Series>>;
  getForPromString?(): Promise<MetricObjectWithValues<Series>>;
};

const hasOwn = Object.prototype.hasOwnProperty;
const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const NEEDS_ESCAPE = /[\\\n"]/;

/** A label value as prom-client writes it: strings escaped, anything else as `${value}`. */
const labelValue = (value: unknown): string =>
  typeof value !== 'string'
    ? `${value as string}`
    : NEEDS_ESCAPE.test(value)
      ? escapeText(value).replace(/"/g, '\\"')
      : value;

/** A sample value as prom-client writes it (`Nan`, not `NaN`, is prom-client's spelling). */
function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/**
 * `name="` and `,name="` for each label name, made once: label names come from metric
 * definitions, a bounded set; the bound only keeps a registry that made names up from growing this.
 */
const FIRST = new Map<string, string>();
const NEXT = new Map<string, string>();
const MAX_CACHED_NAMES = 1_000;
function opening(cache: Map<string, string>, lead: string, name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = `${lead}${name}="`;
    if (cache.size < MAX_CACHED_NAMES) cache.set(name, text);
  }
  return text;
}

/** `text` followed by the labels of `labels` not in `exclude`, comma-separated, without braces. */
function withLabels(text: string, labels: Record<string, unknown>, exclude?: Record<string, unknown>): string {
  for (const name in labels) {
    if (!hasOwn.call(labels, name) || (exclude && hasOwn.call(exclude, name))) continue;
    const value = labelValue(labels[name]);
    text = text === '' ? opening(FIRST, '', name) + value + '"' : text + opening(NEXT, ',', name) + value + '"';
  }
  return text;
}

/** One metric's block: HELP, TYPE, then a line per series (prom-client's `getMetricsAsString`). */
async function metricText(metric: ReadableMetric): Promise<string> {
  const read = metric.getForPromString ? await metric.getForPromString() : await metric.get();
  const name = escapeText(read.name);
  let text = `# HELP ${name} ${escapeText(read.help)}\n# TYPE ${name} ${read.type}`;
  // A histogram's bucket lines come series by series, each series' labels one object: written once.
  let shared: Record<string, unknown> | undefined;
  let sharedText = '';
  let lineName: string | undefined;
  let head = '';
  for (const series of read.values ?? []) {
    let labels = withLabels('', series.labels ?? {}, series.sharedLabels);
    if (series.sharedLabels) {
      if (series.sharedLabels !== shared) {
        shared = series.sharedLabels;
        sharedText = withLabels('', shared);
      }
      if (sharedText !== '') labels = labels === '' ? sharedText : `${labels},${sharedText}`;
    }
    const seriesName = series.metricName === undefined ? name : series.metricName;
    if (seriesName !== lineName) {
      lineName = seriesName;
      head = `\n${seriesName}`;
    }
    text += labels === '' ? `${head} ${sampleValue(series.value)}` : `${head}{${labels}} ${sampleValue(series.value)}`;
  }
  return text;
}

/** Whether prom-client must write it: OpenMetrics, or default labels (merged into every series). */
function leftToPromClient(registry: Registry<RegistryContentType>): boolean {
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return true;
  // Not in prom-client's typings; `exposition.test.ts` checks that a registry with default labels is still served right.
  const defaults = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
  return defaults === undefined || Object.keys(defaults).length > 0;
}

/** The exposition of every metric in `registry`, exactly as `registry.metrics()` writes it. */
export async function prometheusText(registry: Registry<RegistryContentType>): Promise<string> {
  if (leftToPromClient(registry)) return registry.metrics();
  const blocks = await Promise.all(
    registry.getMetricsAsArray().map((metric) => metricText(metric as unknown as ReadableMetric)),
  );
  return `${blocks.join('\n\n')}\n`;
}

/** What a scrape answers: the registry's media type and its text. */
export interface Exposition {
  contentType: string;
  body: string;
}

/** Metrics on one injected registry (the gateway's, the health-worker's), and what a scrape of them answers. */
export abstract class ExposedMetrics {
  constructor(
    /** The registry these metrics live in; `/metrics` serves it. */
    readonly registry: Registry,
  ) {}

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<Exposition> {
    return { contentType: this.registry.contentType, body: await prometheusText(this.registry) };
  }
}
