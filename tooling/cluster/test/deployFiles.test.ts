/**
 * The `docker compose up` deployment, checked by reading it (no Docker engine here): the compose
 * file against the Dockerfile and the repository, the gateway configuration against our schema,
 * HAProxy / Prometheus / Grafana against each other, and every metric a dashboard queries against
 * what the code exports. haproxy and promtool check their own files too where they are installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { loadConfig } from '@only1mcp/config';
import {
  BREAKER_STATE_VALUE,
  GatewayMetrics,
  METRIC,
  MetricsRegistry,
  PROCESS_METRICS_PREFIX,
} from '@only1mcp/metrics';
import { parse } from 'yaml';
import {
  COMPOSE_SERVICES,
  DEPLOY_FILES,
  REPO_ROOT,
  bindMounts,
  dependsOnNames,
  dockerfileStages,
  interpolateCompose,
  loadComposeFile,
  serviceEnvironment,
  stageEnv,
  stageUser,
  type ComposeService,
} from '../src/composeFile';
import {
  HISTOGRAM_SUFFIXES,
  allPanels,
  dashboardQueries,
  histogramBaseName,
  loadDashboards,
  metricNamesIn,
} from '../src/dashboards';
import { findBinary } from '../src/findBinary';
import { appBin } from '@only1mcp/test-utils';

const compose = loadComposeFile();
const services = compose.services;
const service = (name: string): ComposeService => {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
const dockerfile = readFileSync(DEPLOY_FILES.dockerfile, 'utf8');
const stages = dockerfileStages(dockerfile);
const FINAL_TARGETS = [COMPOSE_SERVICES.gateway, COMPOSE_SERVICES.healthWorker];
const readYaml = (file: string): unknown => parse(readFileSync(file, 'utf8'));
const yamlFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
const hostOf = (url: string) => new URL(url).hostname;

describe('docker-compose.yml', () => {
  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(Object.values(COMPOSE_SERVICES).sort());
  });

  it('runs at least two gateway replicas, reachable only through the load balancer', () => {
    const gateway = service(COMPOSE_SERVICES.gateway);
    expect(gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // A fixed host port cannot be shared by replicas; the balancer finds them by DNS instead.
    expect(gateway.ports ?? []).toEqual([]);
    expect(service(COMPOSE_SERVICES.balancer).ports).toContain('127.0.0.1:8080:8080');
  });

  it('builds only targets the Dockerfile defines', () => {
    const names = stages.map((s) => s.name);
    const targets = Object.values(services).flatMap((s) =>
      typeof s.build === 'object' && s.build.target !== undefined ? [s.build.target] : [],
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(names).toContain(target);
  });

  it('bind-mounts only paths that exist in the repository, read-only', () => {
    const mounts = Object.values(services).flatMap((s) => bindMounts(s));
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) {
      expect(mount.source.startsWith(REPO_ROOT)).toBe(true);
      expect(existsSync(mount.source)).toBe(true);
      expect(mount.readOnly).toBe(true);
    }
  });

  it('depends only on services that exist, and waits for health where it matters', () => {
    for (const s of Object.values(services)) {
      for (const dep of dependsOnNames(s)) expect(Object.keys(services)).toContain(dep);
    }
    const conditions = (name: string) => service(name).depends_on as Record<string, { condition?: string }>;
    expect(conditions(COMPOSE_SERVICES.gateway)[COMPOSE_SERVICES.redis]?.condition).toBe('service_healthy');
    expect(conditions(COMPOSE_SERVICES.gateway)[COMPOSE_SERVICES.exampleBackend]?.condition).toBe('service_healthy');
    expect(conditions(COMPOSE_SERVICES.healthWorker)[COMPOSE_SERVICES.redis]?.condition).toBe('service_healthy');
  });

  it('gives every service a health check', () => {
    for (const [name, s] of Object.entries(services)) {
      expect({ name, test: s.healthcheck?.test }).toEqual({ name, test: expect.anything() });
      expect(s.healthcheck?.disable).not.toBe(true);
    }
  });

  it('mounts the configuration the images start with, from deploy/config', () => {
    for (const name of FINAL_TARGETS) {
      const cmd = stages.find((s) => s.name === name)!.instructions.find((i) => i.startsWith('CMD '))!;
      const configPath = (JSON.parse(cmd.slice(4)) as string[]).find((_, i, args) => args[i - 1] === '--config')!;
      const mount = bindMounts(service(name)).find((m) => configPath.startsWith(`${m.target}/`));
      expect(mount?.source).toBe(dirname(DEPLOY_FILES.gatewayConfig));
      expect(join(mount!.source, configPath.slice(mount!.target.length))).toBe(DEPLOY_FILES.gatewayConfig);
    }
  });

  it('probes its own images with node, which slim images have (curl they do not)', () => {
    for (const name of [COMPOSE_SERVICES.gateway, COMPOSE_SERVICES.healthWorker, COMPOSE_SERVICES.exampleBackend]) {
      const test = service(name).healthcheck?.test;
      expect(Array.isArray(test) && test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    }
  });

  it('pins every pulled image to a version', () => {
    const images = Object.values(services).flatMap((s) => (s.image === undefined ? [] : [s.image]));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/:(v?\d+[\w.-]*)$/);
  });

  it("resolves compose's ${VAR} forms as compose does", () => {
    expect(interpolateCompose('${A:-x}/${B-y}/$$C/${D}', { A: '', B: '' })).toBe('x//$C/');
    expect(() => interpolateCompose('${E:?set E}', {})).toThrow('E: set E');
  });
});

describe('Dockerfile', () => {
  it('has the two final targets, each running as a non-root user', () => {
    for (const target of FINAL_TARGETS) {
      expect(stages.map((s) => s.name)).toContain(target);
      expect(['', 'root', '0']).not.toContain(stageUser(stages, target));
    }
  });

  it('builds from a turbo-pruned workspace and ships pnpm-deployed apps', () => {
    expect(dockerfile).toMatch(/turbo@\S+ prune @only1mcp\/gateway @only1mcp\/health-worker --docker/);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/pnpm deploy --filter @only1mcp\/gateway --prod/);
    expect(dockerfile).toMatch(/pnpm deploy --filter @only1mcp\/health-worker --prod/);
  });

  it('runs each app as the one bundled file its package.json `bin` names, as the root scripts do', () => {
    const rootScripts = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const apps = [
      { target: COMPOSE_SERVICES.gateway, pkg: '@only1mcp/gateway', script: 'only1mcp' },
      { target: COMPOSE_SERVICES.healthWorker, pkg: '@only1mcp/health-worker', script: 'health-worker' },
    ] as const;
    for (const { target, pkg, script } of apps) {
      const relativeBin = relative(join(REPO_ROOT, 'apps', target), appBin(pkg));
      const entrypoint = stages
        .find((s) => s.name === target)!
        .instructions.filter((i) => /^ENTRYPOINT\s/i.test(i))
        .at(-1);
      // The deployed app folder is the image's working directory (/app).
      expect(JSON.parse(entrypoint!.replace(/^ENTRYPOINT\s+/i, ''))).toEqual(['node', relativeBin]);
      expect(rootScripts[script]).toBe(`node apps/${target}/${relativeBin}`);
    }
  });

  it('puts the configuration templates where the bundled gateway looks for them (config generate)', () => {
    const gateway = stages.find((s) => s.name === COMPOSE_SERVICES.gateway)!;
    const workdir = stages
      .filter((s) => s.name === 'runtime' || s.name === COMPOSE_SERVICES.gateway)
      .flatMap((s) => s.instructions.filter((i) => /^WORKDIR\s/i.test(i)))
      .at(-1);
    expect(workdir).toBe('WORKDIR /app');
    // templatesDir() walks up from the bundle's folder (/app/dist) to a config/templates folder.
    expect(gateway.instructions).toContain('COPY config/templates/ ./config/templates/');
    expect(existsSync(join(REPO_ROOT, 'config', 'templates', 'solo.yaml'))).toBe(true);
  });

  it('uses the pnpm and turbo versions the workspace pins', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { packageManager: string };
    const workspace = readYaml(join(REPO_ROOT, 'pnpm-workspace.yaml')) as { catalog: Record<string, string> };
    expect(dockerfile).toContain(`npm install -g ${pkg.packageManager}`);
    expect(dockerfile).toContain(`turbo@${workspace.catalog.turbo}`);
  });

  it('runs an LTS line of Node the workspace supports, named where .ci/run reads its major', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    // .ci/run reads this very line (`sed` on `ARG NODE_IMAGE=node:<major>-`) to test on that Node too.
    const image = /^ARG NODE_IMAGE=node:(\d+)-\S+$/m.exec(dockerfile);
    expect(image).not.toBeNull();
    const major = Number(image![1]);
    expect(major).toBeGreaterThanOrEqual(Number(/\d+/.exec(pkg.engines.node)![0]));
    expect(major % 2).toBe(0); // only even majors become long-term-support lines
  });

  it('runs both apps on glibc with at most two malloc arenas (~2.5 MiB less RSS per process on Node 24)', () => {
    // MALLOC_ARENA_MAX is glibc's: the image must be a Debian one, not Alpine (musl ignores it).
    expect(/^ARG NODE_IMAGE=node:\d+-(\S+)$/m.exec(dockerfile)?.[1]).toMatch(/^(bookworm|trixie)(-slim)?$/);
    for (const target of FINAL_TARGETS) expect(stageEnv(stages, target)).toMatchObject({ MALLOC_ARENA_MAX: '2' });
  });

  it('checks health with node fetch, never curl', () => {
    const healthchecks = stages.flatMap((s) => s.instructions.filter((i) => i.startsWith('HEALTHCHECK')));
    expect(healthchecks).toHaveLength(FINAL_TARGETS.length);
    for (const check of healthchecks) expect(check).toMatch(/"node", "-e", "fetch\(/);
    expect(stages.flatMap((s) => s.instructions).filter((i) => /\bcurl\b/.test(i))).toEqual([]);
  });
});

describe('deploy/config/gateway.yaml', () => {
  const raw = readYaml(DEPLOY_FILES.gatewayConfig) as Record<string, unknown>;

  it('loads with our loader, given the environment compose passes the gateways and the worker', () => {
    for (const name of [COMPOSE_SERVICES.gateway, COMPOSE_SERVICES.healthWorker]) {
      const env = serviceEnvironment(service(name));
      const { config } = loadConfig({ path: DEPLOY_FILES.gatewayConfig, env });
      expect(config.redis?.url).toBe(`redis://${COMPOSE_SERVICES.redis}:6379`);
      expect(config.server.host).toBe('0.0.0.0');
      expect(config.logging.format).toBe('json');
    }
  });

  it('has the example servers: everything (2 stdio replicas), memory, and web over HTTP', () => {
    const { config } = loadConfig({
      path: DEPLOY_FILES.gatewayConfig,
      env: serviceEnvironment(service(COMPOSE_SERVICES.gateway)),
    });
    const byId = new Map(config.servers.map((s) => [s.id, s]));
    expect(byId.get('everything')).toMatchObject({
      transport: 'stdio',
      command: 'mcp-server-everything',
      args: ['stdio'],
      replicas: 2,
    });
    expect(byId.get('memory')).toMatchObject({ transport: 'stdio', command: 'mcp-server-memory' });
    const web = byId.get('web');
    expect(web?.transport).toBe('http');
    // It names the example backend's service, on the port that service listens on.
    const url = new URL(web && 'url' in web && web.url !== undefined ? web.url : '');
    const backend = service(COMPOSE_SERVICES.exampleBackend);
    expect(url.hostname).toBe(COMPOSE_SERVICES.exampleBackend);
    expect(url.port).toBe(serviceEnvironment(backend).PORT);
    expect(url.pathname).toBe('/mcp');
    expect(backend.entrypoint).toEqual(['mcp-server-everything', 'streamableHttp']);
  });

  it('runs without auth only because it says so: a non-loopback gateway without auth refuses to start', () => {
    expect(Object.keys(raw)).not.toContain('auth');
    expect((raw.server as { allow_unauthenticated?: boolean }).allow_unauthenticated).toBe(true);
  });

  it('accepts the host names clients use through the load balancer', () => {
    const server = raw.server as { allowed_hosts: string[] };
    expect(server.allowed_hosts).toEqual(expect.arrayContaining([COMPOSE_SERVICES.balancer, 'only1mcp.internal']));
  });
});

describe('deploy/prometheus/prometheus.yml', () => {
  interface ScrapeConfig {
    job_name: string;
    metrics_path?: string;
    dns_sd_configs?: { names: string[]; type: string; port: number }[];
  }
  const prometheus = readYaml(DEPLOY_FILES.prometheus) as { scrape_configs: ScrapeConfig[] };
  const job = (name: string) => prometheus.scrape_configs.find((c) => c.job_name === name);

  it('scrapes every gateway replica and the health-worker, found by DNS', () => {
    expect(prometheus.scrape_configs.map((c) => c.job_name).sort()).toEqual(
      [COMPOSE_SERVICES.gateway, COMPOSE_SERVICES.healthWorker].sort(),
    );
    expect(job(COMPOSE_SERVICES.gateway)).toMatchObject({
      metrics_path: '/metrics',
      dns_sd_configs: [{ names: [COMPOSE_SERVICES.gateway], type: 'A', port: 8080 }],
    });
    expect(job(COMPOSE_SERVICES.healthWorker)).toMatchObject({
      metrics_path: '/metrics',
      dns_sd_configs: [{ names: [COMPOSE_SERVICES.healthWorker], type: 'A', port: 9464 }],
    });
  });

  it('scrapes the worker on the port the worker image serves metrics on', () => {
    const worker = stages.find((s) => s.name === COMPOSE_SERVICES.healthWorker)!;
    expect(worker.instructions.join('\n')).toContain('"--metrics-port", "9464"');
  });

  const promtool = findBinary('promtool');
  (promtool ? it : it.skip)('passes promtool check config (where promtool is installed)', () => {
    execFileSync(promtool!, ['check', 'config', DEPLOY_FILES.prometheus], { stdio: 'pipe' });
  });
});

describe('deploy/haproxy/haproxy.cfg', () => {
  const cfg = readFileSync(DEPLOY_FILES.haproxy, 'utf8');

  it('checks /ready and resolves the gateway replicas through Docker DNS', () => {
    expect(cfg).toMatch(/^\s*option httpchk GET \/ready\s*$/m);
    expect(cfg).toMatch(/^\s*http-check expect status 200\s*$/m);
    expect(cfg).toMatch(/^\s*nameserver \S+ 127\.0\.0\.11:53\s*$/m);
    expect(cfg).toMatch(
      new RegExp(
        `^\\s*server-template \\S+ \\d+ ${COMPOSE_SERVICES.gateway}:8080 check resolvers docker init-addr none`,
        'm',
      ),
    );
    expect(cfg).toMatch(/^\s*balance roundrobin\s*$/m);
  });

  it('keeps long SSE streams open', () => {
    for (const timeout of ['client', 'server', 'tunnel']) {
      expect(cfg).toMatch(new RegExp(`^\\s*timeout ${timeout} (\\d+)h\\s*$`, 'm'));
    }
  });

  it('listens on the port compose publishes and serves the health check compose probes', () => {
    expect(cfg).toMatch(/^\s*bind :8080\s*$/m);
    const test = service(COMPOSE_SERVICES.balancer).healthcheck?.test as string[];
    const monitor = /^\s*monitor-uri (\S+)\s*$/m.exec(cfg)?.[1];
    expect(test.join(' ')).toContain(`:8404${monitor}`);
  });

  const haproxy = findBinary('haproxy');
  (haproxy ? it : it.skip)('passes haproxy -c (where haproxy is installed)', () => {
    execFileSync(haproxy!, ['-c', '-f', DEPLOY_FILES.haproxy], { stdio: 'pipe' });
  });
});

describe('Grafana provisioning and dashboards', () => {
  interface Datasource {
    uid: string;
    type: string;
    url: string;
  }
  const datasources = yamlFilesIn(DEPLOY_FILES.grafanaDatasources).flatMap(
    (file) => (readYaml(file) as { datasources: Datasource[] }).datasources,
  );
  const providers = yamlFilesIn(DEPLOY_FILES.grafanaDashboardProviders).flatMap(
    (file) => (readYaml(file) as { providers: { options: { path: string } }[] }).providers,
  );
  const dashboards = loadDashboards();
  const queries = dashboardQueries();

  it('provisions the Prometheus of the stack as a data source', () => {
    expect(datasources).toHaveLength(1);
    expect(datasources[0]).toMatchObject({ type: 'prometheus' });
    expect(hostOf(datasources[0]!.url)).toBe(COMPOSE_SERVICES.prometheus);
  });

  it('loads dashboards from where compose mounts deploy/grafana/dashboards', () => {
    const mount = bindMounts(service(COMPOSE_SERVICES.grafana)).find(
      (m) => m.source === DEPLOY_FILES.grafanaDashboards,
    );
    expect(providers.map((p) => p.options.path)).toEqual([mount?.target]);
  });

  it('has dashboards with unique uids and a recent schema', () => {
    expect(dashboards.map((d) => d.dashboard.title)).toEqual(
      expect.arrayContaining(['Only1MCP overview', 'Only1MCP backends']),
    );
    const uids = dashboards.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { dashboard } of dashboards) expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('gives every panel a unique id and a title, and every non-row panel a description', () => {
    for (const { file, dashboard } of dashboards) {
      const panels = allPanels(dashboard);
      const ids = panels.map((p) => p.id);
      expect({ file, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ file, duplicates: [] });
      for (const panel of panels) {
        expect({ file, id: panel.id, title: panel.title?.trim() || undefined }).toEqual({
          file,
          id: panel.id,
          title: expect.any(String),
        });
        if (panel.type !== 'row') {
          expect({ title: panel.title, description: (panel.description ?? '').length > 20 }).toEqual({
            title: panel.title,
            description: true,
          });
        }
      }
    }
  });

  it('queries only the provisioned data source, in every panel and target', () => {
    const uid = datasources[0]!.uid;
    for (const { dashboard } of dashboards) {
      for (const panel of allPanels(dashboard).filter((p) => p.type !== 'row')) {
        expect({ panel: panel.title, uid: (panel.datasource as { uid?: string })?.uid }).toEqual({
          panel: panel.title,
          uid,
        });
        for (const target of panel.targets ?? []) {
          expect({ panel: panel.title, uid: (target.datasource as { uid?: string })?.uid }).toEqual({
            panel: panel.title,
            uid,
          });
        }
      }
    }
  });

  it('writes plain PromQL a Prometheus evaluates as is (no Grafana variables), on the jobs it scrapes', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const { panel, expr } of queries) {
      expect({ panel, variable: expr.includes('$') }).toEqual({ panel, variable: false });
      for (const [, job] of expr.matchAll(/\bjob="([^"]*)"/g)) {
        expect([COMPOSE_SERVICES.gateway, COMPOSE_SERVICES.healthWorker]).toContain(job);
      }
    }
  });

  it('queries only metrics the code exports', async () => {
    const exported = await exportedMetricNames();
    const unknown = queries.flatMap(({ dashboard, panel, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${dashboard} / ${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('watches every metric the code exports in at least one panel', () => {
    const queried = new Set(
      queries.flatMap(({ expr }) => metricNamesIn(expr).map((name) => histogramBaseName(name) ?? name)),
    );
    expect(Object.values(METRIC).filter((name) => !queried.has(name))).toEqual([]);
  });

  it('labels circuit-breaker states as the gauge reports them', () => {
    const panel = dashboards
      .flatMap(({ dashboard }) => allPanels(dashboard))
      .find((p) => (p.targets ?? []).some((t) => metricNamesIn(t.expr ?? '').includes(METRIC.circuitBreakerState)));
    const mappings = (panel?.fieldConfig as { defaults: { mappings: { options: Record<string, { text: string }> }[] } })
      .defaults.mappings;
    const shown = Object.fromEntries(
      Object.entries(mappings[0]!.options).map(([value, { text }]) => [text, Number(value)]),
    );
    expect(shown).toEqual(BREAKER_STATE_VALUE);
  });
});

/**
 * Every series name the code exports: METRIC's names (a histogram's with its _bucket/_sum/_count
 * series, types read from a real GatewayMetrics registry), plus the Node.js process metrics that
 * prom-client's collectDefaultMetrics registers under our prefix.
 */
async function exportedMetricNames(): Promise<Set<string>> {
  const registry = new MetricsRegistry();
  new GatewayMetrics({
    registry,
    state: { sessions: () => ({}), listenStreams: () => 0, servers: () => [], redisConnected: () => true },
    processMetrics: false,
  });
  // prom-client is a dependency of @only1mcp/metrics, not of this package: load it from there.
  const promClient = createRequire(require.resolve('@only1mcp/metrics'))('prom-client') as {
    Registry: typeof MetricsRegistry;
    collectDefaultMetrics(options: { register: MetricsRegistry; prefix: string }): void;
  };
  const processRegistry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: processRegistry, prefix: PROCESS_METRICS_PREFIX });
  const described = [...(await registry.getMetricsAsJSON()), ...(await processRegistry.getMetricsAsJSON())];
  const histograms = new Set(described.filter((m) => String(m.type) === 'histogram').map((m) => m.name));
  const names = new Set<string>([...Object.values(METRIC), ...described.map((m) => m.name)]);
  for (const name of histograms) for (const suffix of HISTOGRAM_SUFFIXES) names.add(`${name}${suffix}`);
  return names;
}

describe('metricNamesIn', () => {
  it.each([
    ['only1mcp_requests_total', ['only1mcp_requests_total']],
    ['rate(only1mcp_requests_total{status!="ok", method=~"tools/.*|x{1,2}"}[5m])', ['only1mcp_requests_total']],
    ['histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))', ['x_bucket']],
    ['sum by (le, server_id) (rate(a_bucket{job="gateway"}[1m:15s] offset 5m))', ['a_bucket']],
    ['sum(rate(a[5m])) without (instance) / ignoring(le) group_left(server_id) b', ['a', 'b']],
    ['a * on(instance) group_right(job) b > bool 0', ['a', 'b']],
    ['count(a) or vector(0) and b unless c', ['a', 'b', 'c']],
    ['label_replace(a, "dst", "$1 sum(b)", "src", "(.*)")', ['a']],
    ['a{l=\'}{\'} + `raw c` + "d"', ['a']],
    ['{"some.utf8.name", job="x"} + {__name__="c"} + {__name__=~"ignored.*"}', ['some.utf8.name', 'c']],
    ['topk(5, a @ start()) + 1e3 + 0x1F + Inf - NaN', ['a']],
    ['avg without (x) (a) # a comment naming b', ['a']],
    ['a_sum / a_count + a_sum', ['a_sum', 'a_count']],
  ])('%s', (expr, expected) => {
    expect(metricNamesIn(expr)).toEqual(expected);
  });

  it('maps histogram series to their histogram', () => {
    expect(HISTOGRAM_SUFFIXES.map((s) => histogramBaseName(`x${s}`))).toEqual(['x', 'x', 'x']);
    expect(histogramBaseName('only1mcp_requests_total')).toBeUndefined();
  });
});
