/**
 * Bridging a 2025-11-25 backend's requests to a 2026-07-28 client. Such a backend asks during a
 * call (`sampling/createMessage`, `elicitation/create`, `roots/list`) and waits for the answer; a
 * current-protocol client cannot be asked, it can only be answered `input_required` and retry.
 * So the gateway parks the backend call: it keeps running, with its own connection
 * (`connection.mode: per_session`, keyed by the parked call), the backend's request becomes the
 * client's `input_required`, and the client's retry (its `requestState` names the parked call)
 * answers the waiting request; then the call goes on to its result or to the next request.
 *
 * Parked calls live in this process: a retry that reaches another replica finds nothing and gets
 * "Invalid or expired requestState" (sticky routing, or issue 4/8's shared state, fixes that).
 */
import { randomUUID } from 'node:crypto';
import type { ClientCapabilities } from '@modelcontextprotocol/server';
import type { CallingSession, Progress, Registry } from '@only1mcp/registry';
import { GatewayError } from '@only1mcp/mcp-types';

/** A backend request waiting for the client's answer. */
interface Pending {
  key: string;
  request: { method: string; params?: Record<string, unknown> };
  answer(result: Record<string, unknown>): void;
  fail(error: Error): void;
}

/** Where the backend's progress and log messages go during the current round (the client's latest request). */
export interface RoundChannel {
  progress?: (progress: Progress) => void;
  log?: (params: Record<string, unknown>) => void;
}

/** What a round of a parked call ends with. */
export type ParkedOutcome =
  | { kind: 'input'; parkId: string; key: string; request: Pending['request'] }
  | { kind: 'done'; result: Record<string, unknown> };

/** One parked call. */
class ParkedCall {
  readonly id = randomUUID();
  readonly controller = new AbortController();
  pending: Pending | undefined;
  result: Promise<Record<string, unknown>> | undefined;
  private wake: (() => void) | undefined;
  private rounds = 0;
  lastUsed = Date.now();
  channel: RoundChannel = {};

  constructor(readonly capabilities: ClientCapabilities) {}

  /** The session the call's backend connection acts for: its requests come here. */
  session(): CallingSession {
    return {
      key: this.id,
      client: {
        capabilities: this.capabilities,
        log: (params) => this.channel.log?.(params),
        request: (method, params) =>
          new Promise((answer, fail) => {
            this.rounds += 1;
            this.pending = {
              key: `r${this.rounds}`,
              request: params === undefined ? { method } : { method, params },
              answer,
              fail,
            };
            this.wake?.();
          }),
      },
    };
  }

  /** Waits for the call to end or to ask the client something. */
  async next(): Promise<ParkedOutcome> {
    this.lastUsed = Date.now();
    if (!this.pending) {
      await Promise.race([
        this.result!.then(
          () => undefined,
          () => undefined,
        ),
        new Promise<void>((resolve) => (this.wake = resolve)),
      ]);
      this.wake = undefined;
    }
    if (this.pending) return { kind: 'input', parkId: this.id, key: this.pending.key, request: this.pending.request };
    return { kind: 'done', result: await this.result! };
  }

  /** Answers the waiting request with the client's response to it. */
  answer(responses: Record<string, unknown> | undefined): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const response = responses?.[pending.key];
    if (response && typeof response === 'object') pending.answer(response as Record<string, unknown>);
    else pending.fail(new GatewayError('InvalidParams', `The retry carries no answer for ${pending.key}`));
  }
}

/** The parked calls of this process. */
export class ParkedCalls {
  private readonly calls = new Map<string, ParkedCall>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly registry: Registry,
    /** How long a parked call waits for the client's retry. */
    private readonly ttlMs = 600_000,
  ) {
    this.reaper = setInterval(() => this.reap(), Math.max(1000, Math.min(60_000, ttlMs / 4)));
    this.reaper.unref();
  }

  /** Starts a call that may be parked: `run` gets the session its backend connection acts for, and the call's own signal. */
  async start(
    capabilities: ClientCapabilities,
    run: (
      session: CallingSession,
      signal: AbortSignal,
      progress: (p: Progress) => void,
    ) => Promise<Record<string, unknown>>,
    channel: RoundChannel = {},
  ): Promise<ParkedOutcome> {
    const call = new ParkedCall(capabilities);
    call.channel = channel;
    this.calls.set(call.id, call);
    call.result = run(call.session(), call.controller.signal, (p) => call.channel.progress?.(p));
    return this.settle(call);
  }

  /** Continues a parked call with the client's answers. */
  async resume(
    parkId: string,
    responses: Record<string, unknown> | undefined,
    channel: RoundChannel = {},
  ): Promise<ParkedOutcome> {
    const call = this.calls.get(parkId);
    if (!call)
      throw new GatewayError('InvalidParams', 'Invalid or expired requestState: the call is no longer waiting', {
        expose: true,
      });
    // Progress and logs from now on belong to this retry, the request the client is waiting on.
    call.channel = channel;
    call.answer(responses);
    return this.settle(call);
  }

  private async settle(call: ParkedCall): Promise<ParkedOutcome> {
    try {
      const outcome = await call.next();
      if (outcome.kind === 'done') this.end(call);
      return outcome;
    } catch (err) {
      this.end(call);
      throw err;
    }
  }

  private end(call: ParkedCall): void {
    this.calls.delete(call.id);
    void this.registry.releaseSession(call.id).catch(() => undefined);
  }

  private reap(): void {
    const cutoff = Date.now() - this.ttlMs;
    for (const call of this.calls.values()) {
      if (call.lastUsed >= cutoff) continue;
      call.controller.abort('the client did not retry in time');
      call.pending?.fail(new GatewayError('RequestCancelled', 'The client did not answer in time'));
      this.end(call);
    }
  }

  /** Calls parked now. */
  get size(): number {
    return this.calls.size;
  }

  /** Aborts every parked call. */
  close(): void {
    clearInterval(this.reaper);
    for (const call of this.calls.values()) {
      call.controller.abort('shutting down');
      this.end(call);
    }
  }
}
