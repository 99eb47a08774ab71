/**
 * @only1mcp/bench: the benchmark building blocks. Any new export here is public API.
 * The scripts are `toolsCall.js` (the benchmark) and `gatewayServer.js` (a gateway to profile);
 * see docs/BENCHMARKS.md.
 */
export { quantile, runLoad } from './loadGenerator';
export type { CallFn, LoadOptions, LoadResult } from './loadGenerator';
export { startFloorServer } from './floorServer';
export type { FloorServer } from './floorServer';
export { assertLoopback, JsonRpcHttpClient, openSession, closeSession, parseReply } from './jsonRpcHttpClient';
export type { HttpReply, JsonRpcHttpClientOptions, JsonRpcReply } from './jsonRpcHttpClient';
export { createTarget } from './targets';
export type { Target, TargetSpec } from './targets';
export { runInWorker, runJob } from './loadWorker';
export type { LoadJob } from './loadWorker';
