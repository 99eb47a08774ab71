/**
 * The Grafana dashboards against a real Prometheus scraping a real cluster: after MCP traffic of
 * every kind (lists, calls, an unknown tool, a backend error, open sessions, a config reload),
 * EVERY dashboard query is evaluated through Prometheus' HTTP API and must return data, except
 * those that read only metrics fed by later issues (NOT_FED_YET), which are reported.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { METRIC } from '@only1mcp/metrics';
import { waitFor } from '@only1mcp/test-utils';
import { DEFAULT_CLUSTER_CONFIG, GATEWAY_PATHS, findBinary, startCluster, type RunningCluster } from '../src';
import { dashboardQueries, histogramBaseName, metricNamesIn } from '../src/dashboards';
import { scrape } from './support/metricsText';

/**
 * Metrics that only features of later issues feed. A query reading nothing but these may be
 * empty until that issue lands; remove an entry when its issue does.
 */
const NOT_FED_YET: Record<string, string> = {
  [METRIC.rateLimitExceeded]: 'issue 6/8 (rate limiting)',
  [METRIC.cacheHitRatio]: 'issue 7/8 (caching)',
  [METRIC.cacheRequestsTotal]: 'issue 7/8 (caching)',
  [METRIC.contextTokensSaved]: 'issue 7/8 (context optimisation)',
};

/** The issues that feed every metric of `expr`, when all of them are NOT_FED_YET; undefined otherwise. */
function notFedYet(expr: string): string[] | undefined {
  const names = metricNamesIn(expr).map((name) => histogramBaseName(name) ?? name);
  return names.length > 0 && names.every((n) => n in NOT_FED_YET) ? names.map((n) => NOT_FED_YET[n]!) : undefined;
}

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

const prometheus = findBinary('prometheus');
const queries = dashboardQueries();

(prometheus ? describe : describe.skip)(
  `every dashboard query against Prometheus${prometheus ? '' : ' (skipped: prometheus is not installed)'}`,
  () => {
    let dir: string;
    let configFile: string;
    let cluster: RunningCluster;
    const clients: { close(): Promise<void> }[] = [];

    const query = async (expr: string): Promise<QueryAnswer> => {
      const res = await fetch(`${cluster.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await res.json()) as QueryAnswer;
    };
    const hasData = async (expr: string) => ((await query(expr)).data?.result.length ?? 0) > 0;

    /** Traffic of every kind the dashboards show, through the balancer; the sessions stay open. */
    async function driveTraffic(): Promise<void> {
      const mcp = new URL(`${cluster.balancerUrl}${GATEWAY_PATHS.mcp}`);
      const v1 = new ClientV1({ name: 'prometheus-test-v1', version: '1.0.0' });
      await v1.connect(new StreamableHTTPClientTransport(mcp));
      clients.push(v1);
      await v1.listTools();
      await v1.listPrompts();
      await v1.listResources();
      for (let i = 0; i < 6; i++) await v1.callTool({ name: 'everything__echo', arguments: { message: `m${i}` } });
      // An unknown tool: an error of the gateway's own (status != ok), no backend involved.
      await expect(v1.callTool({ name: 'everything__no-such-tool', arguments: {} })).rejects.toThrow();
      // A prompt without its required argument: the backend refuses it (a backend error).
      await expect(v1.getPrompt({ name: 'everything__args-prompt', arguments: {} })).rejects.toThrow();

      const v2 = new ClientV2(
        { name: 'prometheus-test-v2', version: '2.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await v2.connect(new TransportV2(mcp));
      clients.push(v2);
      for (let i = 0; i < 4; i++) await v2.callTool({ name: 'everything__echo', arguments: { message: `v2-${i}` } });

      const legacy = new ClientV1({ name: 'prometheus-test-sse', version: '1.0.0' });
      await legacy.connect(new SSEClientTransport(new URL(`${cluster.balancerUrl}${GATEWAY_PATHS.legacySse}`)));
      clients.push(legacy);
      await legacy.callTool({ name: 'everything__echo', arguments: { message: 'sse' } });
    }

    /** Rewrites the watched configuration (a setting that applies at once), so every gateway reloads it. */
    async function reloadConfig(): Promise<void> {
      const reloads = () =>
        Promise.all(cluster.gateways.map((g) => scrape(`${g.url}${GATEWAY_PATHS.metrics}`, METRIC.configReloadsTotal)));
      writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('level: info', 'level: warn'));
      await waitFor('every gateway to reload its configuration', async () => (await reloads()).every((n) => n > 0));
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cluster-prometheus-test-'));
      configFile = join(dir, 'cluster.yaml');
      writeFileSync(configFile, readFileSync(DEFAULT_CLUSTER_CONFIG, 'utf8'));
      cluster = await startCluster({ configFile, gateways: 2, port: 0, prometheus: true, checkIntervalMs: 250 });
      await driveTraffic();
      await reloadConfig();
      // Rates need two scrapes of a series; the last series to appear came from the reload.
      await waitFor(
        'Prometheus to scrape the traffic and the reload',
        async () =>
          (await hasData(`rate(${METRIC.requestsTotal}{job="gateway",status!="ok"}[1m])`)) &&
          (await hasData(`increase(${METRIC.configReloadsTotal}{job="gateway"}[1m])`)) &&
          (await hasData(`${METRIC.healthWorkerLeader}{job="health-worker"}`)),
        20_000,
      );
    }, 90_000);

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it('scrapes every gateway and the health-worker', async () => {
      const up = await query('up');
      const targets = (up.data!.result as { metric: { job: string }; value: [number, string] }[]).map(
        (r) => `${r.metric.job}=${r.value[1]}`,
      );
      expect(targets.sort()).toEqual(['gateway=1', 'gateway=1', 'health-worker=1']);
    });

    it.each(queries.map((q) => [`${q.dashboard} › ${q.panel}: ${q.expr}`, q.expr] as const))(
      '%s',
      async (_name, expr) => {
        const answer = await query(expr);
        expect({ status: answer.status, error: answer.error }).toEqual({ status: 'success', error: undefined });
        const feeders = notFedYet(expr);
        if (feeders) {
          if (answer.data!.result.length === 0) console.info(`no data yet (fed by ${feeders.join(', ')}): ${expr}`);
          return;
        }
        // A series that appeared late may need one more scrape.
        await waitFor(`data for ${expr}`, () => hasData(expr), 5_000);
      },
    );
  },
);
