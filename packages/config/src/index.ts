/**
 * @only1mcp/config: the configuration schema and everything that reads it.
 * Any new export here is public API.
 */
export {
  BaseConfigSchema,
  ConfigSchema,
  LOG_LEVELS,
  crossCheck,
  ROUTING_ALGORITHMS,
  SERVER_ID_PATTERN,
  ServerConfigSchema,
  TRANSPORTS,
} from './schema';
export type {
  Config,
  ConfigInput,
  CrossCheckIssue,
  RemoteServerConfig,
  RoutingAlgorithm,
  ServerConfig,
  StdioServerConfig,
  Transport,
} from './schema';
export { ConfigError, formatIssue, formatPath } from './configError';
export type { ConfigIssue } from './configError';
export { configSearchPath, findConfigFile, loadConfig, validateConfig } from './loadConfig';
export type { LoadConfigOptions, LoadedConfig } from './loadConfig';
export { CONFIG_PATH_ENV, ENV_PREFIX, applyEnvOverrides, interpolate } from './environment';
export { formatOf, parseText } from './parseText';
export type { ConfigFormat } from './parseText';
export { formatDuration, parseDuration, parseSize } from './units';
export { configJsonSchema } from './jsonSchema';
export { TEMPLATE_NAMES, readTemplate, templatePath, templatesDir } from './templates';
export type { TemplateName } from './templates';
export { importMcpServers } from './importMcpServers';
export type { ImportResult } from './importMcpServers';
export { configSecrets } from './secrets';
