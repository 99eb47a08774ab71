/**
 * The `requestState` of multi-round calls (2026-07-28 `input_required`), as the gateway hands it to
 * its client: the backend's own state plus the replica that holds it, signed (HMAC) so a client
 * cannot forge or alter it. The SDK verifies it before a retry reaches a handler.
 */
import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

/** What the gateway keeps in a `requestState`. */
export interface BridgeState {
  /** The backend replica that answered `input_required` (its state is only good there). */
  r?: number;
  /** The backend's own `requestState`, passed back to it on the retry. */
  s?: string;
  /** A parked call waiting for the client's answer (parkedCalls.ts). */
  p?: string;
}

/** The codec: keyed by `server.request_state_secret`, or by a random key for this process alone. */
export function createStateCodec(secret: string | undefined): RequestStateCodec<BridgeState> {
  // Bound to the method, so a state minted for one kind of call is refused on another.
  return createRequestStateCodec<BridgeState>({ key: secret ?? randomBytes(32), bind: (ctx) => ctx.mcpReq.method });
}
