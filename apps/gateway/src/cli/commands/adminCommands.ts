/**
 * `only1mcp status` and `only1mcp reload`: the admin API from the command line. They talk to a
 * running gateway over HTTP (loopback by default: the admin API answers loopback peers only).
 */
import type { Command } from 'commander';
import { loadConfig } from '@only1mcp/config';
import { EXIT_FAILURE, type ReloadReport } from '@only1mcp/runtime';
import { ADMIN_BASE, type ServerView } from '../../http/adminRoutes';

interface AdminOptions {
  url?: string;
  config?: string;
}

/** The gateway to ask: `--url`, else the configuration's listener (a wildcard address asked on loopback). */
export function adminBaseUrl(options: AdminOptions): string {
  if (options.url) return options.url.replace(/\/+$/, '');
  const { server } = loadConfig({ path: options.config }).config;
  const host = ['0.0.0.0', '::', ''].includes(server.host) ? '127.0.0.1' : server.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
}

async function call(base: string, method: 'GET' | 'POST', path: string): Promise<{ status: number; body: unknown }> {
  let res: globalThis.Response;
  try {
    res = await fetch(`${base}${ADMIN_BASE}${path}`, { method, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new Error(`cannot reach the gateway at ${base}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${base}${ADMIN_BASE}${path} answered ${res.status} with something that is not JSON`);
  }
}

function describeReload(report: ReloadReport): string {
  if (!report.ok)
    return [
      `reload refused (${report.file}); the running configuration stays:`,
      ...(report.errors ?? []).map(
        (e) => `  - ${e.path || '(file)'}${e.line ? ` (line ${e.line})` : ''}: ${e.message}`,
      ),
    ].join('\n');
  const s = report.servers!;
  const lines = [
    `reloaded ${report.file}`,
    `  added: ${s.added.join(', ') || '-'}; removed: ${s.removed.join(', ') || '-'}; changed: ${s.changed.join(', ') || '-'}; unchanged: ${s.unchanged.length}`,
  ];
  if (report.restartRequired) lines.push(`  restart needed for: ${report.restartRequired.join(', ')}`);
  return lines.join('\n');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Registers `status` and `reload`. */
export function registerAdminCommands(program: Command): void {
  const target = (command: Command) =>
    command
      .option('--url <url>', 'the gateway (default: from the configuration, on loopback)')
      .option('-c, --config <file>', 'configuration file that says where the gateway listens');

  target(program.command('status').description('show a running gateway: servers, replicas, sessions, last reload'))
    .option('--json', 'print the admin API answers as JSON')
    .action(async (options: AdminOptions & { json?: boolean }) => {
      try {
        const base = adminBaseUrl(options);
        const [status, servers] = await Promise.all([call(base, 'GET', '/status'), call(base, 'GET', '/servers')]);
        if (status.status !== 200)
          throw new Error(`the admin API answered ${status.status}: ${JSON.stringify(status.body)}`);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ status: status.body, servers: servers.body }, null, 2)}\n`);
          return;
        }
        const s = status.body as {
          version: string;
          uptimeSeconds: number;
          ready: boolean;
          sessions: Record<string, number>;
          lastReload: ReloadReport | null;
          shared?: Record<string, string>;
        };
        const list = (servers.body as { servers: ServerView[] }).servers;
        process.stdout.write(
          `only1mcp ${s.version} at ${base}: ${s.ready ? 'ready' : 'NOT ready'}, up ${s.uptimeSeconds}s, ` +
            `sessions ${s.sessions.streamable_http ?? 0} streamable HTTP + ${s.sessions.sse ?? 0} SSE` +
            `${s.shared ? `, redis ${s.shared.redis}` : ''}\n`,
        );
        const rows = [['SERVER', 'ENABLED', 'UP', 'REPLICAS', 'HEALTH', 'BREAKERS', 'LATENCY', 'IN FLIGHT']];
        for (const v of list)
          rows.push([
            v.id,
            v.enabled ? 'yes' : 'no',
            v.up ? 'yes' : 'no',
            `${v.replicas.filter((r) => r.state === 'up').length}/${v.replicas.length}`,
            v.replicas.map((r) => r.health).join(','),
            v.replicas.map((r) => r.breaker).join(','),
            v.latencyMs === undefined ? '-' : `${v.latencyMs} ms`,
            String(v.replicas.reduce((n, r) => n + r.inFlight, 0)),
          ]);
        process.stdout.write(`${table(rows)}\n`);
        if (s.lastReload)
          process.stdout.write(`last reload: ${s.lastReload.at}, ${s.lastReload.ok ? 'ok' : 'refused'}\n`);
      } catch (err) {
        process.stderr.write(`only1mcp status: ${(err as Error).message}\n`);
        process.exitCode = EXIT_FAILURE;
      }
    });

  target(program.command('reload').description('make a running gateway re-read its configuration file now')).action(
    async (options: AdminOptions) => {
      try {
        const base = adminBaseUrl(options);
        const { status, body } = await call(base, 'POST', '/reload');
        if (status !== 200 && status !== 422)
          throw new Error(`the admin API answered ${status}: ${JSON.stringify(body)}`);
        const report = body as ReloadReport;
        process.stdout.write(`${describeReload(report)}\n`);
        if (!report.ok) process.exitCode = EXIT_FAILURE;
      } catch (err) {
        process.stderr.write(`only1mcp reload: ${(err as Error).message}\n`);
        process.exitCode = EXIT_FAILURE;
      }
    },
  );
}
