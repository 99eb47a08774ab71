/**
 * @only1mcp/runtime: the process plumbing every Only1MCP process (the gateway, the health-worker)
 * runs: config reloading, health checkers, winston logging, CLI error reports, and the heap of a
 * process it owns (start-up's garbage handed back, memory favoured while quiet). Any new export
 * here is public API.
 */
export { ConfigReloader, restartRequired } from './configReloader';
export type { ApplyConfig, ConfigReloaderOptions, ReloadProblem, ReloadReport, ReloadTrigger } from './configReloader';
export { longestInterval, startHealthCheckers } from './healthCheckers';
export type { HealthCheckers, HealthCheckersDeps } from './healthCheckers';
export { createLogger, scrub, secretsOf } from './logger';
export { reportError } from './reportError';
export { compactAfterStartUp, compactHeap } from './compactHeap';
export type { HeapCompaction, StartUpCompactionOptions } from './compactHeap';
export { favourMemoryWhenQuiet, tendOwnHeap } from './quietMemory';
export type { QuietMemory, QuietMemoryOptions } from './quietMemory';
export { EXIT_FAILURE, EXIT_USAGE } from './exitCodes';
