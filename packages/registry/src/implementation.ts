/** How the gateway names itself to backends (clientInfo) and to clients (serverInfo). */
export const GATEWAY_IMPLEMENTATION = { name: 'only1mcp', version: '0.1.0' } as const;
