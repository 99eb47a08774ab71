/** @only1mcp/logger. Any new export here is public API. */
export { errorMessage, silentLogger } from './logger';
export type { LogFields, Logger } from './logger';
