/**
 * What of a client's request params goes on to the backend. `_meta` describes the hop it arrived
 * on: its `progressToken` is the client's (the gateway's client to the backend sends its own and
 * maps progress back), and the `io.modelcontextprotocol/*` envelope keys of the current protocol
 * (protocol version, client info and capabilities, log level) describe the client's connection to
 * the gateway, not the gateway's to the backend. Everything else passes unchanged.
 */
import type { ProgressToken } from '@modelcontextprotocol/server';

/** The reserved `_meta` prefix of the protocol's own envelope keys. */
const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';

/** The params to forward, and the client's progress token if it asked for progress. */
export function forwardParams(params: Record<string, unknown> | undefined): {
  params: Record<string, unknown>;
  progressToken?: ProgressToken;
} {
  if (!params) return { params: {} };
  if (params._meta === undefined) return { params };
  // `_meta` must be an object; anything else would make the backend drop the request unanswered.
  if (typeof params._meta !== 'object' || params._meta === null || Array.isArray(params._meta)) {
    const { _meta: _invalid, ...rest } = params;
    return { params: rest };
  }
  const { progressToken, ...meta } = params._meta as Record<string, unknown>;
  for (const key of Object.keys(meta)) if (key.startsWith(ENVELOPE_PREFIX)) delete meta[key];
  const { _meta: _dropped, ...rest } = params;
  const forwarded = Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
  const token = typeof progressToken === 'string' || typeof progressToken === 'number' ? progressToken : undefined;
  return token === undefined ? { params: forwarded } : { params: forwarded, progressToken: token };
}
