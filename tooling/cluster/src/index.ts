/**
 * @only1mcp/cluster: docker-compose.yml's topology from local processes (`pnpm cluster`).
 * Any new export here is public API.
 */
export { startCluster } from './startCluster';
export type { ClusterMember, ClusterOptions, RunningCluster } from './startCluster';
export { BALANCER_KINDS, resolveBalancerKind, startBalancer } from './balancer';
export type { Balancer, BalancerChoice, BalancerKind, BalancerOptions, Upstream } from './balancer';
export { CLUSTER_ENV, DEFAULT_CLUSTER_CONFIG } from './clusterPaths';
export { formatClusterTable } from './clusterTable';
export { findBinary } from './findBinary';
export { GATEWAY_PATHS } from './gatewayPaths';
export { HAPROXY_BACKENDS, haproxyConfig } from './haproxyConfig';
export { PROMETHEUS_JOBS, prometheusConfig } from './prometheusConfig';
export {
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
} from './composeFile';
export type {
  BindMount,
  ComposeFile,
  ComposeHealthcheck,
  ComposeService,
  ComposeVolume,
  DockerfileStage,
} from './composeFile';
export {
  HISTOGRAM_SUFFIXES,
  allPanels,
  dashboardQueries,
  histogramBaseName,
  loadDashboards,
  metricNamesIn,
} from './dashboards';
export type {
  DashboardQuery,
  DatasourceRef,
  GrafanaDashboard,
  GrafanaPanel,
  GrafanaTarget,
  LoadedDashboard,
} from './dashboards';
