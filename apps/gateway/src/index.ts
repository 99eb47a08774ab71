/**
 * @only1mcp/gateway: the Only1MCP service. Any new export here is public API.
 */
export { createProgram } from './cli/program';
export { createApp } from './http/createApp';
export type { AppDeps, GatewayApp } from './http/createApp';
export { startGateway } from './gateway';
export type { RunningGateway } from './gateway';
export { createLogger } from './logger';
export { VERSION } from './version';
