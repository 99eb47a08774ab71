/**
 * Authentication and access control at the gateway's HTTP edge (`auth:` in config). Every MCP
 * request (`/mcp`, `/sse`, `/messages`) and the admin API present `Authorization: Bearer <API key
 * or JWT>`; a request without valid credentials gets 401 with a `WWW-Authenticate` challenge that
 * points OAuth-capable clients at `/.well-known/oauth-protected-resource` (RFC 9728, as the MCP
 * authorization spec asks). The verified principal travels with the request (`req.auth`, which
 * the SDK hands to every handler) and decides what the client sees and may call. Rebuilt on hot
 * reload, so a revoked key stops working at once.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import {
  createAccessPolicy,
  createAuthenticator,
  type AccessPolicy,
  type Authenticator,
  type Principal,
} from '@only1mcp/auth';
import type { Config } from '@only1mcp/config';
import { ERROR_CODES, ErrorCode, GatewayError, jsonRpcError, type JsonRpcErrorResponse } from '@only1mcp/mcp-types';

/** The well-known path of the protected-resource metadata (RFC 9728). */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/** What the SDK passes to handlers as `ctx.http.authInfo`: our principal (with `auth`) and the client's context profile. */
export interface GatewayAuthInfo {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt?: number;
  extra: { principal?: Principal; profile?: string };
}

/** Records the context profile a request names (`?profile=NAME` on the MCP URL) where handlers will find it. */
export function attachProfile(req: IncomingMessage, profile: unknown): void {
  if (typeof profile !== 'string' || profile === '') return;
  const holder = req as IncomingMessage & { auth?: GatewayAuthInfo };
  holder.auth ??= { token: '', clientId: '', scopes: [], extra: {} };
  holder.auth.extra.profile = profile;
}

/** What a refusal for an unreachable identity provider asks the client to wait, in seconds. */
const AUTH_RETRY_AFTER_S = 5;

/** A refused request's answer. */
export interface AuthRefusal {
  status: number;
  headers: Record<string, string>;
  body: JsonRpcErrorResponse;
  reason: string;
}

/** The public URL of this gateway's MCP endpoint, as the client reached it (or as configured). */
export function resourceUrl(auth: Config['auth'], headers: IncomingHttpHeaders, encrypted: boolean): string {
  if (auth?.resource) return auth.resource;
  const forwarded = headers['x-forwarded-proto'];
  const proto = typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : encrypted ? 'https' : 'http';
  return `${proto}://${headers.host ?? 'localhost'}/mcp`;
}

/** The protected-resource metadata URL for a resource URL (the path-suffixed form of RFC 9728 §3.1). */
export function metadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${PROTECTED_RESOURCE_PATH}${url.pathname === '/' ? '' : url.pathname}`;
}

/** The gateway's authentication and access policy, swapped whole on reload. */
export class AuthGate {
  private authenticator: Authenticator | undefined;
  private policy: AccessPolicy | undefined;
  private auth: Config['auth'];

  constructor(auth: Config['auth']) {
    this.auth = auth;
    this.reconfigure(auth);
  }

  /** True when `auth` is configured (otherwise every request is the local operator's, with every right). */
  get enabled(): boolean {
    return this.authenticator !== undefined;
  }

  /** Applies a reloaded `auth` section: keys and roles change for the very next request. */
  reconfigure(auth: Config['auth']): void {
    this.auth = auth;
    this.authenticator = auth ? createAuthenticator(auth) : undefined;
    this.policy = auth ? createAccessPolicy(auth) : undefined;
  }

  /** Verifies the request's credentials; undefined when auth is off. Throws `Unauthorized`. */
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    if (!this.authenticator) return undefined;
    return this.authenticator.authenticate(headers.authorization);
  }

  /** Authenticates and attaches the principal to the request (`req.auth`), or says how to refuse. */
  async admit(req: IncomingMessage): Promise<AuthRefusal | undefined> {
    try {
      const principal = await this.authenticate(req.headers);
      if (principal) {
        const token = (req.headers.authorization ?? '').replace(/^\s*bearer\s+/i, '').trim();
        const info: GatewayAuthInfo = {
          token,
          clientId: principal.clientId,
          scopes: principal.roles,
          ...(principal.expiresAt === undefined ? {} : { expiresAt: Math.floor(principal.expiresAt / 1000) }),
          extra: { principal },
        };
        (req as IncomingMessage & { auth?: GatewayAuthInfo }).auth = info;
      }
      return undefined;
    } catch (err) {
      return this.refusal(req, err);
    }
  }

  private refusal(req: IncomingMessage, err: unknown): AuthRefusal {
    // The identity provider is down: the credentials were not judged, so no challenge (a 401 would
    // tell the client to drop a token that may be good), and the client may retry shortly.
    if (err instanceof GatewayError && err.codeName === 'AuthUnavailable')
      return {
        status: ERROR_CODES.AuthUnavailable.httpStatus,
        headers: { 'retry-after': String(AUTH_RETRY_AFTER_S) },
        body: jsonRpcError(undefined, ErrorCode.AuthUnavailable, err.message),
        reason: 'unavailable',
      };
    const reason = (err instanceof GatewayError && (err.context.reason as string | undefined)) || 'invalid';
    const resource = resourceUrl(this.auth, req.headers, Boolean((req.socket as { encrypted?: boolean }).encrypted));
    // RFC 6750 §3: no error code when the client sent no credentials at all.
    const challenge = [
      'Bearer realm="only1mcp"',
      `resource_metadata="${metadataUrl(resource)}"`,
      ...(reason === 'missing' ? [] : ['error="invalid_token"', `error_description="${reason}"`]),
    ].join(', ');
    const message =
      reason === 'missing'
        ? 'Authentication required: send Authorization: Bearer <API key or token>'
        : reason === 'expired'
          ? 'The token has expired'
          : 'The credentials are not valid';
    return {
      status: 401,
      headers: { 'www-authenticate': challenge },
      body: jsonRpcError(undefined, ErrorCode.Unauthorized, message, { reason }),
      reason,
    };
  }

  /** May `principal` use this public tool/prompt name (or `<prefix><separator><uri>` for a resource)? */
  allows(principal: Principal | undefined, name: string): boolean {
    return !this.policy || (principal !== undefined && this.policy.allows(principal, name));
  }

  /** Does `principal` hold a role with `admin: true`? (Auth off: the admin API falls back to loopback only.) */
  isAdmin(principal: Principal | undefined): boolean {
    return this.policy !== undefined && principal !== undefined && this.policy.isAdmin(principal);
  }

  /** The protected-resource metadata document for a request. */
  metadata(req: IncomingMessage): Record<string, unknown> {
    return {
      resource: resourceUrl(this.auth, req.headers, Boolean((req.socket as { encrypted?: boolean }).encrypted)),
      authorization_servers: this.auth?.authorization_servers ?? [],
      bearer_methods_supported: ['header'],
      resource_name: 'Only1MCP',
    };
  }
}

/** The principal the gateway attached to a request, if any. */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return (req as IncomingMessage & { auth?: GatewayAuthInfo }).auth?.extra?.principal;
}

/** The request's principal and context profile, as the method table's handlers take them. */
export function callerOf(req: IncomingMessage): { principal?: Principal; profile?: string } {
  const extra = (req as IncomingMessage & { auth?: GatewayAuthInfo }).auth?.extra;
  return { principal: extra?.principal, profile: extra?.profile };
}

/** The Forbidden error for a name the principal may not use. */
export function forbidden(what: string): GatewayError {
  return new GatewayError('Forbidden', `Not allowed: ${what}`, { expose: true, context: { target: what } });
}
