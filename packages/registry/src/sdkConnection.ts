/**
 * A BackendConnection on the official SDK v2 client. The client negotiates the backend's protocol
 * generation itself (`versionNegotiation: auto`: `server/discover` first, `initialize` as the
 * fallback), so 2026-07-28 and 2025-11-25 backends are both spoken to natively.
 */
import { Client, SdkError, SdkErrorCode, type Transport } from '@modelcontextprotocol/client';
import { GatewayError, type ServerCapabilities } from '@only1mcp/mcp-types';
import { z } from 'zod';
import type { BackendConnection, BackendConnectionEvents, BackendRequestOptions } from './backendConnection';
import type { Logger } from './logger';
import { GATEWAY_IMPLEMENTATION } from './implementation';

// Results are passed on exactly as the backend sent them: no field is stripped or renamed.
const AnyResult = z.looseObject({});

/** Maps an SDK failure to the gateway's error; a backend's JSON-RPC error passes through unchanged. */
export function backendFailure(err: unknown, replicaId: string, method: string): unknown {
  if (err instanceof SdkError) {
    const context = { replica: replicaId, method };
    if (err.code === SdkErrorCode.RequestTimeout) return new GatewayError('BackendTimeout', `Backend ${replicaId} did not answer ${method} in time`, { cause: err, context });
    if (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.SendFailed) {
      const notSent = err.code !== SdkErrorCode.ConnectionClosed;
      return new GatewayError('BackendUnavailable', `Backend ${replicaId} is not connected`, { cause: err, context: { ...context, notSent } });
    }
    return new GatewayError('BackendError', `Backend ${replicaId} failed on ${method}: ${err.message}`, { cause: err, context });
  }
  if (err instanceof Error && err.name === 'AbortError') return new GatewayError('BackendError', `Request ${method} was cancelled`, { cause: err });
  return err;
}

/** One connection to one backend replica through an SDK client. */
export class SdkConnection implements BackendConnection {
  private client: Client | undefined;
  private closing = false;

  constructor(
    readonly replicaId: string,
    private readonly createTransport: () => Transport,
    private readonly logger: Logger,
    private readonly events: BackendConnectionEvents,
  ) {}

  get capabilities(): ServerCapabilities | undefined {
    return this.client?.getServerCapabilities() as ServerCapabilities | undefined;
  }

  get protocolVersion(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }

  async connect(timeoutMs: number): Promise<void> {
    const client = new Client(GATEWAY_IMPLEMENTATION, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    client.onerror = (err) => this.logger.debug('backend protocol error', { replica: this.replicaId, error: err.message });
    client.fallbackNotificationHandler = async (notification) => {
      const match = /^notifications\/(tools|prompts|resources)\/list_changed$/.exec(notification.method);
      if (match) this.events.onListChanged?.(match[1] as 'tools' | 'prompts' | 'resources');
    };
    try {
      await client.connect(this.createTransport(), { timeout: timeoutMs });
    } catch (err) {
      await client.close().catch(() => undefined);
      throw new GatewayError('BackendUnavailable', `Cannot connect to backend ${this.replicaId}: ${(err as Error).message}`, { cause: err, context: { replica: this.replicaId } });
    }
    client.onclose = () => {
      if (this.client === client) this.client = undefined;
      if (!this.closing) this.events.onClose?.('connection closed');
    };
    this.client = client;
  }

  async request(method: string, params: Record<string, unknown> | undefined, options: BackendRequestOptions): Promise<Record<string, unknown>> {
    const client = this.client;
    if (!client) throw new GatewayError('BackendUnavailable', `Backend ${this.replicaId} is not connected`, { context: { replica: this.replicaId, notSent: true } });
    try {
      const request = params === undefined ? { method } : { method, params };
      return (await client.request(request as never, AnyResult, { timeout: options.timeoutMs, signal: options.signal })) as Record<string, unknown>;
    } catch (err) {
      throw backendFailure(err, this.replicaId, method);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}
