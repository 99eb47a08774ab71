/**
 * A gateway in front of the reference server, alone in its process, for profiling:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/dist/gatewayServer.js
 *   node bench/dist/toolsCall.js --modes plain --gateway <the printed URL>
 *
 * It prints its /mcp URL and stops cleanly on SIGINT or SIGTERM (so the profile is written).
 */
import { startGateway } from '@only1mcp/gateway';
import { silentLogger } from '@only1mcp/registry';
import { benchConfig } from './benchConfig';

async function main(): Promise<void> {
  const gateway = await startGateway(benchConfig(), silentLogger);
  console.log(`${gateway.url}/mcp`);
  const stop = () => void gateway.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(err.stack ?? String(err));
  process.exitCode = 1;
});
