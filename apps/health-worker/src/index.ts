/** @only1mcp/health-worker: the process that probes backends for every gateway replica. Any new export here is public API. */
export { startHealthWorker } from './healthWorker';
export type { RunningHealthWorker } from './healthWorker';
