/**
 * A BackendConnection on the official SDK v2 client. The client negotiates the backend's protocol
 * generation itself (`versionNegotiation: auto`: `server/discover` first, `initialize` as the
 * fallback), so 2026-07-28 and 2025-11-25 backends are both spoken to natively. A backend found
 * speaking a 2025-era version is connected to without the probe for a while, by every connection
 * to that server (the SDK's `prior` verdict; {@link EraMemory}).
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  Client,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  type Transport,
} from '@modelcontextprotocol/client';
import {
  CURRENT_PROTOCOL_VERSION,
  GatewayError,
  protocolGeneration,
  type ServerCapabilities,
} from '@only1mcp/mcp-types';
import type { StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { BackendConnection, BackendConnectionEvents, BackendRequestOptions } from './backendConnection';
import { errorMessage, type Logger } from '@only1mcp/logger';
import { GATEWAY_IMPLEMENTATION } from './implementation';
import { LateAjvValidator } from './lateAjvValidator';
import { keepResponsesBehindNotifications } from './notificationOrder';

/**
 * The result schema of every routed request: any JSON object, passed on as the very object the
 * backend sent (no field stripped or renamed, and not copied: zod's `looseObject` rebuilt every
 * result, field by field, on the hot path). The SDK takes any Standard Schema here.
 */
export const anyResult: StandardSchemaV1<Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'only1mcp',
    validate: (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { issues: [{ message: 'the result is not a JSON object' }] },
  },
};

/**
 * The socket error behind a failed HTTP request, when the backend could not be reached at all:
 * fetch (undici) rejects with TypeError "fetch failed" and the socket error as its cause.
 */
function networkFailure(err: unknown): string | undefined {
  // By name, not instanceof: fetch's TypeError may come from another realm (as under jest).
  const error = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (error?.name !== 'TypeError' || error.message !== 'fetch failed') return undefined;
  return typeof error.cause?.code === 'string' ? error.cause.code : 'fetch failed';
}

/** An error's message, with the socket or TLS error behind a network failure ("fetch failed (ECONNREFUSED)"). */
function describeFailure(err: unknown): string {
  const message = errorMessage(err);
  const network = networkFailure(err);
  return network === undefined || network === message ? message : `${message} (${network})`;
}

/** Errors after which the connection is useless: the server is unreachable, or forgot our HTTP session (it restarted). */
export function connectionLost(err: unknown): boolean {
  return networkFailure(err) !== undefined || (err instanceof SdkHttpError && err.status === 404);
}

/** Maps an SDK failure to the gateway's error; a backend's JSON-RPC error passes through unchanged. */
export function backendFailure(err: unknown, replicaId: string, method: string, signal?: AbortSignal): unknown {
  const context = { replica: replicaId, method };
  // The SDK rejects a cancelled request as a timeout; it is the client's choice, not the backend's fault.
  if (signal?.aborted)
    return new GatewayError('RequestCancelled', `Request ${method} was cancelled by the client`, {
      cause: err,
      context,
    });
  const network = networkFailure(err);
  if (network !== undefined) {
    // A refused connection never carried the request; any other socket failure may have.
    const notSent = network === 'ECONNREFUSED';
    return new GatewayError('BackendUnavailable', `Backend ${replicaId} is unreachable (${network})`, {
      cause: err,
      context: { ...context, notSent },
    });
  }
  if (err instanceof SdkHttpError && err.status === 404) {
    // The server answered 404 for our session: it did not run the request, and a new session will.
    return new GatewayError('BackendUnavailable', `Backend ${replicaId} lost the session (HTTP 404)`, {
      cause: err,
      context: { ...context, notSent: true },
    });
  }
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout)
      return new GatewayError('BackendTimeout', `Backend ${replicaId} did not answer ${method} in time`, {
        cause: err,
        context,
      });
    if (err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.SendFailed) {
      return new GatewayError('BackendUnavailable', `Backend ${replicaId} is not connected`, {
        cause: err,
        context: { ...context, notSent: true },
      });
    }
    if (err.code === SdkErrorCode.ConnectionClosed) {
      // The request was sent and the backend went away before answering (e.g. the process died).
      return new GatewayError('BackendError', `Backend ${replicaId} closed the connection during ${method}`, {
        cause: err,
        context: { ...context, notSent: false },
      });
    }
    return new GatewayError('BackendError', `Backend ${replicaId} failed on ${method}: ${err.message}`, {
      cause: err,
      context,
    });
  }
  return err;
}

/** The listed keys of `object` that are set. */
function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]])) as Pick<T, K>;
}

/** The lists a backend can say changed. */
type ListKind = 'tools' | 'prompts' | 'resources';

/** A connected client and the requests still out on it. */
interface Live {
  client: Client;
  pending: number;
  /** Given up: closed as soon as its last pending request settles. */
  retired: boolean;
}

/** The SDK's verdict on a server that speaks only the 2025 era: `initialize`, no `server/discover` probe. */
type LegacyVerdict = { kind: 'legacy' };
const LEGACY: LegacyVerdict = { kind: 'legacy' };

/**
 * How long a backend found speaking a 2025-era version is connected to without the protocol
 * probe. A restart or another connection then costs one handshake, not two (and, for a server that
 * exits on the probe, one process, not two); a backend upgraded to 2026-07-28 meanwhile still answers `initialize`
 * (the SDK's note on cached verdicts), and is spoken to in its new version from the first
 * connect after this long.
 */
export const LEGACY_VERDICT_MS = 10 * 60_000;

/**
 * What connects to one backend server have found of its protocol era, shared by all its
 * connections (its replicas, and with `connection.mode: per_session` every client session's own):
 * once one has found it speaking a 2025-era version, the others connect without the probe too.
 */
export class EraMemory {
  private legacySince: number | undefined;

  /** The verdict to connect with, while one holds. */
  get verdict(): LegacyVerdict | undefined {
    return this.legacySince !== undefined && performance.now() - this.legacySince < LEGACY_VERDICT_MS
      ? LEGACY
      : undefined;
  }

  /** A connect succeeded with `version`; `probed`: it asked the backend (no verdict was given). */
  connected(version: string | undefined, probed: boolean): void {
    // A probe's verdict starts the period; a connect that skipped the probe leaves it running.
    if (version === undefined || protocolGeneration(version) !== 'session') this.legacySince = undefined;
    else if (probed) this.legacySince = performance.now();
  }

  /** A connect failed: the verdict may be why (the backend changed), so the next one probes. */
  forget(): void {
    this.legacySince = undefined;
  }
}

/** One connection to one backend replica through an SDK client. */
export class SdkConnection implements BackendConnection {
  /** The current client; cleared first whenever it is given up, so a loss is reported at most once. */
  private live: Live | undefined;
  /** The transport of a connect in progress, so close() can abort it (and end its process). */
  private starting: Transport | undefined;
  /** How many times close() was called: a connect that sees it change gives up. */
  private closes = 0;

  constructor(
    readonly replicaId: string,
    private readonly createTransport: () => Transport,
    private readonly logger: Logger,
    private readonly events: BackendConnectionEvents,
    /** Shared with the server's other connections (see {@link EraMemory}). */
    private readonly era: EraMemory = new EraMemory(),
  ) {}

  get capabilities(): ServerCapabilities | undefined {
    return this.live?.client.getServerCapabilities() as ServerCapabilities | undefined;
  }

  get protocolVersion(): string | undefined {
    return this.live?.client.getNegotiatedProtocolVersion();
  }

  async connect(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const closes = this.closes;
    let client: Client;
    const known = this.era.verdict;
    try {
      client = await this.open(timeoutMs, known);
    } catch (err) {
      this.era.forget();
      // Closed meanwhile (the probe then fails the same way): nothing may start again.
      const probeFailed = err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed;
      if (known || !probeFailed || this.closes !== closes) throw this.cannotConnect(err);
      // The backend went away during the `server/discover` probe: a 2025-era server whose SDK ends
      // on any request before `initialize`. It is started again and initialized, without the probe.
      try {
        client = await this.open(Math.max(1, Math.ceil(deadline - performance.now())), LEGACY);
      } catch (again) {
        throw this.cannotConnect(again);
      }
    }
    this.era.connected(client.getNegotiatedProtocolVersion(), known === undefined);
    const live: Live = { client, pending: 0, retired: false };
    client.onclose = () => this.lose(live, 'connection closed');
    this.live = live;
  }

  private cannotConnect(err: unknown): GatewayError {
    return new GatewayError(
      'BackendUnavailable',
      `Cannot connect to backend ${this.replicaId}: ${describeFailure(err)}`,
      {
        cause: err,
        context: { replica: this.replicaId },
      },
    );
  }

  /** One connect attempt on a new client and transport; `prior` skips the protocol probe. */
  private async open(timeoutMs: number, prior?: LegacyVerdict): Promise<Client> {
    // List changes arrive as notifications from 2025-11-25 backends and on a `subscriptions/listen`
    // stream from 2026-07-28 ones; the SDK handles both when these handlers are given, and only for
    // the lists the backend says can change. The gateway re-reads the lists itself.
    const changed = (kind: ListKind) => ({
      autoRefresh: false,
      debounceMs: 0,
      onChanged: () => this.events.onListChanged?.(kind),
    });
    const session = this.events.client;
    const client = new Client(GATEWAY_IMPLEMENTATION, {
      capabilities: session
        ? pick(session.capabilities, ['sampling', 'elicitation', 'roots'])
        : this.events.declareInputCapabilities
          ? { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} }
          : {},
      versionNegotiation: { mode: 'auto' },
      // A 2026-07-28 backend's input_required goes back to the gateway's client, never answered here.
      inputRequired: { autoFulfill: false },
      listChanged: { tools: changed('tools'), prompts: changed('prompts'), resources: changed('resources') },
      jsonSchemaValidator: new LateAjvValidator(),
    });
    client.setNotificationHandler('notifications/resources/updated', (notification) =>
      this.events.onResourceUpdated?.(notification.params.uri),
    );
    client.setNotificationHandler('notifications/message', (notification) => {
      const params = notification.params as Record<string, unknown>;
      if (session?.log) session.log(params);
      else this.events.onLog?.(params);
    });
    if (!session && this.events.declareInputCapabilities) {
      const unattributable = () => {
        throw new ProtocolError(
          ProtocolErrorCode.MethodNotFound,
          'This connection is shared by several clients, so the request cannot go to one of them; call through a client session (connection.mode: per_session)',
        );
      };
      client.setRequestHandler('sampling/createMessage', unattributable);
      client.setRequestHandler('elicitation/create', unattributable);
      client.setRequestHandler('roots/list', () => ({ roots: [] }));
    }
    if (session) {
      // Only what the client can do is declared, so the SDK registers only those handlers' capabilities.
      const forward =
        (method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list') =>
        (request: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) =>
          session.request(method, request.params as Record<string, unknown> | undefined, ctx.mcpReq.signal) as never;
      if (session.capabilities.sampling)
        client.setRequestHandler('sampling/createMessage', forward('sampling/createMessage'));
      if (session.capabilities.elicitation)
        client.setRequestHandler('elicitation/create', forward('elicitation/create'));
      if (session.capabilities.roots) client.setRequestHandler('roots/list', forward('roots/list'));
    }
    client.onerror = (err) =>
      this.logger.debug('backend protocol error', { replica: this.replicaId, error: err.message });
    const transport = this.createTransport();
    this.starting = transport;
    try {
      // The signal bounds the whole connect: on stdio a probe that times out falls back to
      // `initialize`, which the timeout alone would let take as long again.
      await client.connect(transport, {
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        ...(prior ? { prior } : {}),
      });
      // Else a backend's last progress before its result is often lost (see notificationOrder.ts).
      keepResponsesBehindNotifications(transport);
      return client;
    } catch (err) {
      await client.close().catch(() => undefined);
      throw err;
    } finally {
      if (this.starting === transport) this.starting = undefined;
    }
  }

  async request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendRequestOptions,
  ): Promise<Record<string, unknown>> {
    const live = this.live;
    if (!live)
      throw new GatewayError('BackendUnavailable', `Backend ${this.replicaId} is not connected`, {
        context: { replica: this.replicaId, notSent: true },
      });
    live.pending += 1;
    try {
      const modern =
        options.clientCapabilities !== undefined &&
        live.client.getNegotiatedProtocolVersion() === CURRENT_PROTOCOL_VERSION;
      // The client's capabilities travel in the request envelope, where they take precedence over the gateway's own.
      const sent = modern
        ? {
            ...params,
            _meta: {
              ...(params?._meta as object | undefined),
              [CLIENT_CAPABILITIES_META_KEY]: options.clientCapabilities,
            },
          }
        : params;
      const request = sent === undefined ? { method } : { method, params: sent };
      return (await live.client.request(request as never, anyResult, {
        timeout: options.timeoutMs,
        signal: options.signal,
        ...(modern ? { allowInputRequired: true } : {}),
        // The SDK sends its own progress token to the backend and hands each notification here.
        ...(options.onProgress ? { onprogress: options.onProgress, resetTimeoutOnProgress: true } : {}),
      })) as Record<string, unknown>;
    } catch (err) {
      // HTTP transports never report a dead server themselves; a failed request is how we learn it.
      if (connectionLost(err)) this.lose(live, (err as Error).message);
      throw backendFailure(err, this.replicaId, method, options.signal);
    } finally {
      live.pending -= 1;
      if (live.retired && live.pending === 0) void live.client.close().catch(() => undefined);
    }
  }

  /**
   * Gives up a client the backend dropped and reports it (once) so the owner reconnects. Requests
   * still out on it finish on their own: closing it now would fail them as "closed mid-request"
   * although each may yet learn that it was never sent, and so be retried elsewhere.
   */
  private lose(live: Live, reason: string): void {
    if (this.live !== live) return;
    this.live = undefined;
    live.retired = true;
    if (live.pending === 0) void live.client.close().catch(() => undefined);
    this.events.onClose?.(reason);
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const notification = params === undefined ? { method } : { method, params };
    await this.live?.client.notification(notification as never).catch(() => undefined);
  }

  async close(): Promise<void> {
    // Cleared before closing, so the close is ours and not reported as a loss.
    const live = this.live;
    const starting = this.starting;
    this.closes += 1;
    this.live = undefined;
    this.starting = undefined;
    await Promise.all([live?.client.close().catch(() => undefined), starting?.close().catch(() => undefined)]);
  }
}
