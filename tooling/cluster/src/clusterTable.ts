/** The table `pnpm cluster` prints: what runs where. */
import type { RunningCluster } from './startCluster';

/** Renders the cluster's members as an aligned text table, followed by where to connect. */
export function formatClusterTable(cluster: RunningCluster): string {
  const rows = [
    ['ROLE', 'NAME', 'ADDRESS', 'PID', 'LOG'],
    ...cluster.members.map((m) => [m.role, m.name, m.url, m.pid === undefined ? '-' : String(m.pid), m.logFile ?? '-']),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
  return [
    ...lines,
    '',
    `MCP (Streamable HTTP):  ${cluster.balancerUrl}/mcp`,
    `MCP (legacy SSE):       ${cluster.balancerUrl}/sse`,
    ...(cluster.prometheusUrl ? [`Prometheus:             ${cluster.prometheusUrl}`] : []),
    `config:                 ${cluster.configFile}`,
  ].join('\n');
}
