/**
 * @only1mcp/test-utils: fixtures shared by the tests of every package. Any new export here is
 * public API (for tests only).
 */
export { FIXTURE_SERVER_PATH, fixtureServerCommand } from './fixtureServerCommand';
export { fixtureServerArgs, parseFixtureServerArgs } from './fixtures/fixtureServerOptions';
export type { FixtureServerOptions, ResolvedFixtureServerOptions } from './fixtures/fixtureServerOptions';
export { FIXTURE_PROMPT, FIXTURE_RESOURCE_URI, FIXTURE_SERVER_INFO, FIXTURE_TOOLS } from './fixtures/fixtureTools';
export type { WhoAmI } from './fixtures/fixtureTools';
export { HTTP_FIXTURE_PATHS } from './fixtures/fixtureHttpApp';
export type { HttpFixtureTransport } from './fixtures/fixtureHttpApp';
export { startHttpFixture } from './httpFixture';
export type { HttpFixture, HttpFixtureOptions } from './httpFixture';
export { appBin } from './appBin';
export type { AppPackage } from './appBin';
export { PORT_TAKEN, freePort, onFreePort, portTaken } from './freePort';
export {
  REDIS_NOT_ASKED_BOUND_MS,
  REDIS_OUTAGE_BOUND_MS,
  redisAnswersPing,
  redisReady,
  redisServerArgs,
  startRedis,
} from './redisServer';
export type { RedisHandle, StartRedisOptions } from './redisServer';
export { endProcess, isRunning, processAlive, untilWritten } from './childProcesses';
export { waitFor } from './waitFor';
export { startModernFixture } from './modernFixture';
export type { ModernFixture } from './modernFixture';
export { PROCFS, markedProcesses } from './markedProcesses';
export { rawPost } from './rawPost';
export { answeringLabels, startHealthPool, thaw } from './replicaProbes';
export { loudLines, recordingLogger } from './recordingLogger';
export type { RecordingLogger } from './recordingLogger';
