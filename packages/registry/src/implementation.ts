/** How the gateway names itself to backends (clientInfo) and to clients (serverInfo). */
// The version is read from package.json (the packages are versioned together), never written here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

/** The gateway's MCP implementation info. */
export const GATEWAY_IMPLEMENTATION = { name: 'only1mcp', version } as const;
