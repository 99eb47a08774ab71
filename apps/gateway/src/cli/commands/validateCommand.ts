/** `only1mcp validate [FILE]`: checks a configuration and prints a one-screen summary. */
import type { Command } from 'commander';
import { formatDuration, loadConfig, type Config, type ServerConfig } from '@only1mcp/config';
import { reportError } from '@only1mcp/runtime';

function target(server: ServerConfig): string {
  if (server.transport === 'stdio') return [server.command, ...server.args].join(' ');
  if (server.url !== undefined) return server.url;
  return (server.urls ?? []).map((u) => (typeof u === 'string' ? u : `${u.url} (weight ${u.weight})`)).join(', ');
}

function replicas(server: ServerConfig): number {
  if (server.transport === 'stdio') return server.replicas;
  return server.url !== undefined ? 1 : (server.urls?.length ?? 0);
}

/** A one-screen summary of a valid configuration. */
export function summarizeConfig(config: Config, file: string): string {
  const lines = [
    `${file}: valid`,
    `  listen      ${config.server.host}:${config.server.port}`,
    `  routing     ${config.routing.algorithm}, names {prefix}${config.routing.separator}{name}`,
    `  health      ${config.health.enabled ? `every ${formatDuration(config.health.interval)}, timeout ${formatDuration(config.health.timeout)}` : 'off'}`,
    `  redis       ${config.redis ? config.redis.url.replace(/\/\/[^@/]*@/, '//***@') : 'none (single node, state in memory)'}`,
    `  auth        ${config.auth ? `${config.auth.api_keys.length} API key(s)${config.auth.jwt ? ', JWT' : ''}, roles: ${Object.keys(config.auth.roles).join(', ') || 'none'}` : 'off'}`,
    `  rate limit  ${config.rate_limit ? `${config.rate_limit.requests_per_second}/s, burst ${config.rate_limit.burst}` : 'off'}`,
    `  servers     ${config.servers.length}`,
  ];
  const rows = config.servers.map((s) => [s.id, s.transport, String(replicas(s)), s.enabled ? 'yes' : 'no', target(s)]);
  const header = ['ID', 'TRANSPORT', 'REPLICAS', 'ENABLED', 'COMMAND / URL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `    ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`;
  lines.push(fmt(header), ...rows.map(fmt));
  return lines.join('\n');
}

/** Registers `validate`. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a configuration file and summarize it (exit 0 valid, 1 invalid)')
    .argument('[file]', 'configuration file (default: the usual places, see README)')
    .action((file: string | undefined) => {
      try {
        const loaded = loadConfig({ path: file });
        process.stdout.write(`${summarizeConfig(loaded.config, loaded.file)}\n`);
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
