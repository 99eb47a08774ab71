/**
 * @only1mcp/gateway: the Only1MCP service. Any new export here is public API.
 */
export { createProgram } from './cli/program';
export { createApp } from './http/createApp';
export type { AppDeps, GatewayApp } from './http/createApp';
export type { LegacySse } from './http/legacySse';
export { startGateway } from './gateway';
export type { RunningGateway, StartGatewayOptions } from './gateway';
export { ADMIN_BASE, redactServer } from './http/adminRoutes';
export type { AdminDeps, ServerView } from './http/adminRoutes';
export type { SessionSummary } from './sessionSummary';
export { startStdioGateway } from './stdioGateway';
export type { RunningStdioGateway, StdioGatewayOptions } from './stdioGateway';
export { VERSION } from './version';
