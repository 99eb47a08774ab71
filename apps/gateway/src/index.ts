/**
 * @only1mcp/gateway: the Only1MCP service. Any new export here is public API.
 */
export { createProgram } from './cli/program';
export { VERSION } from './version';
