/**
 * Who a request comes from once its credentials are verified, and the one way this package
 * rejects credentials (GatewayError `Unauthorized` with a short, safe reason).
 */
import { GatewayError } from '@only1mcp/mcp-types';

/** An authenticated client. */
export interface Principal {
  /** Stable client identity: the API key's `client_id`, or the JWT's `client_id`/`azp`/`sub` claim. */
  clientId: string;
  /** Role names (from the API key entry or the JWT roles claim); unknown ones grant nothing. */
  roles: string[];
  /** Which kind of credential was presented. */
  via: 'api_key' | 'jwt';
  /** When the credential stops being valid, in ms since the epoch (the JWT `exp`); absent for API keys. */
  expiresAt?: number;
  /** The JWT `sub` claim, when present. */
  subject?: string;
}

/** Why credentials were rejected; the gateway puts it in the `WWW-Authenticate` error description. */
export type UnauthorizedReason = 'missing' | 'malformed' | 'invalid' | 'expired';

const MESSAGES: Record<UnauthorizedReason, string> = {
  missing: 'Missing bearer token',
  malformed: 'Malformed Authorization header; expected "Bearer <token>"',
  invalid: 'Invalid credentials',
  expired: 'Token expired',
};

/**
 * Builds the `Unauthorized` error for `reason`. Only `{ reason }` is exposed to the client; the
 * underlying failure (a jose error, a fetch error) stays in `cause` for the log.
 */
export function unauthorized(
  reason: UnauthorizedReason,
  options: { cause?: unknown; message?: string; retryable?: boolean } = {},
): GatewayError {
  return new GatewayError('Unauthorized', options.message ?? MESSAGES[reason], {
    context: { reason },
    expose: true,
    cause: options.cause,
    retryable: options.retryable,
  });
}
