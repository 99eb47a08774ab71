/** How the gateway names itself to backends (clientInfo) and to clients (serverInfo). */
// The version is read from package.json (the packages are versioned together), never written here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const GATEWAY_IMPLEMENTATION = { name: 'only1mcp', version: (require('../package.json') as { version: string }).version } as const;
