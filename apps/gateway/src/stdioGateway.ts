/**
 * The stdio front: one MCP client on stdin/stdout, no HTTP listener. stdout carries protocol
 * only (the logger writes to stderr). The SDK's `serveStdio` picks the protocol era from the
 * client's opening message, so both 2025 (`initialize`) and 2026-07-28 (`server/discover`)
 * clients are served by the same `createMcpServer` wiring as the HTTP fronts.
 */
import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Config } from '@only1mcp/config';
import { Registry, type Logger } from '@only1mcp/registry';
import { Drain } from './drain';
import { startEmbeddedHealth } from './embeddedHealth';
import type { Server } from '@modelcontextprotocol/server';
import { createMcpServer } from './mcp/createMcpServer';
import { sendListChanged } from './mcp/listChanged';
import { ResourceSubscriptions } from './mcp/resourceSubscriptions';
import { createStateCodec } from './mcp/requestState';

/** The streams to speak MCP on; the process's own by default. */
export interface StdioGatewayOptions {
  stdin?: Readable;
  stdout?: Writable;
}

/** A running stdio gateway. */
export interface RunningStdioGateway {
  registry: Registry;
  /** Settles once the gateway has stopped, whether the client closed stdin or {@link stop} was called. */
  readonly stopped: Promise<void>;
  /** Closes the connection and the registry (ending backend child processes). */
  stop(): Promise<void>;
}

/** Starts the registry, then serves MCP on the given streams until stdin closes or `stop()` is called. */
export async function startStdioGateway(
  config: Config,
  logger: Logger,
  { stdin = process.stdin, stdout = process.stdout }: StdioGatewayOptions = {},
): Promise<RunningStdioGateway> {
  // serveStdio may build a throwaway server to answer a protocol probe; the last one built is the
  // one serving the client, and list changes go to it (serveStdio routes them to either generation).
  let serving: Server | undefined;
  const live: { subscriptions?: ResourceSubscriptions } = {};
  const registry = new Registry(config, {
    logger,
    onCatalogChanged: (changed) => serving && sendListChanged(serving, changed),
    onResourceUpdated: (uri) => live.subscriptions?.updated(uri),
    onReplicaConnected: (serverId, replica) => live.subscriptions?.resubscribe(serverId, replica),
    // A shared connection's log messages cannot be attributed to one client: they stay in our log.
    onLog: (server, { level, logger: source, data }) =>
      logger.debug('backend log message', { server, backendLevel: level, source, data }),
  });
  // Backends start first so the client's first tools/list sees the whole catalogue; the client's
  // opening message waits in the pipe meanwhile.
  await registry.start();
  const health = startEmbeddedHealth(config, registry, logger);
  const transport = new StdioServerTransport(stdin, stdout);
  // One session per process: a stable key keeps consistent hashing sticky for this client.
  const sessionKey = randomUUID();
  const drain = new Drain();
  const stateCodec = createStateCodec(config.server.request_state_secret);
  const subscriptions = (live.subscriptions = new ResourceSubscriptions(registry, logger));
  const connection = serveStdio(
    () => (serving = createMcpServer({ config, registry, logger, drain, subscriptions, stateCodec }, sessionKey)),
    {
      transport,
      onerror: (error) => logger.debug('stdio connection error', { error: error.message }),
    },
  );

  let stopping: Promise<void> | undefined;
  let markStopped = () => {};
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = () =>
    (stopping ??= (async () => {
      try {
        // Calls in flight finish first, bounded by shutdown_timeout.
        await drain.start(config.server.shutdown_timeout);
        await connection.close();
        await health?.stop();
        await registry.stop();
        logger.info('stdio gateway stopped');
      } finally {
        markStopped();
      }
    })());
  // serveStdio installs its own onclose; chain onto it so stdin EOF or a broken stdout also stops
  // the registry — otherwise the backends' child processes would keep this process alive.
  const connectionClosed = transport.onclose;
  transport.onclose = () => {
    connectionClosed?.();
    void stop();
  };
  logger.info('serving MCP on stdio', { servers: config.servers.length });
  return { registry, stopped, stop };
}
