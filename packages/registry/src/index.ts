/**
 * @only1mcp/registry: backend MCP servers behind one interface, and the aggregate over them.
 * Any new export here is public API.
 */
export { Registry, changedLists } from './registry';
export type {
  ChangedList,
  HealthPlan,
  HealthSettings,
  ReconfigureSummary,
  RegistryOptions,
  ServerStatus,
} from './registry';
export { Backend, IDEMPOTENT_METHODS } from './backend';
export type {
  ActiveHealth,
  BackendCallOptions,
  BackendOptions,
  PoolStatus,
  ReplicaState,
  ReplicaStatus,
} from './backend';
export { commandSearchPath, createBackendConnection, replicaTargets } from './backendConnection';
export type {
  BackendConnection,
  BackendConnectionEvents,
  BackendRequestOptions,
  Progress,
  ReplicaTarget,
  SessionClient,
} from './backendConnection';
export { SessionConnections } from './sessionConnections';
export type { CallingSession } from './sessionConnections';
export { createLoadBalancer } from './loadBalancer';
export type { Candidate, LoadBalancer } from './loadBalancer';
export { buildCatalog, publicName, templatePattern } from './catalog';
export type { BackendLists, Catalog, CatalogSource, Owner } from './catalog';
export { GATEWAY_IMPLEMENTATION } from './implementation';
export { LateAjvValidator } from './lateAjvValidator';
export { pruneAbortSignalAny } from './abortSignalAny';
export { StartGate } from './startGate';
export type { SpareCpuSampler, StartGateOptions } from './startGate';
export { silentLogger } from '@only1mcp/logger';
export type { LogFields, Logger } from '@only1mcp/logger';
