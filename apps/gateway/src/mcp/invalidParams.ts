/**
 * The one wording of "the client's params do not match the method" (-32602), whichever path found
 * it: the SDK Server's request schemas (createMcpServer.ts) or the same schemas applied to a
 * request the gateway answers itself (statelessFastPath.ts).
 */
import { ProtocolError } from '@modelcontextprotocol/server';
import { ErrorCode, ROUTED_REQUEST_PARAMS } from '@only1mcp/mcp-types';

/** One schema issue, as zod reports it. */
export interface SchemaIssue {
  path?: readonly PropertyKey[];
  message?: string;
}

/** The -32602 error for `method` with `issues` as one readable line: `path: message; …`. */
export function invalidParams(method: string, issues: readonly SchemaIssue[]): ProtocolError {
  const text = issues.length
    ? issues.map((i) => `${(i.path ?? []).map(String).join('.') || '(params)'}: ${i.message ?? 'invalid'}`).join('; ')
    : 'they do not match the method';
  return new ProtocolError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${text}`);
}

/** The -32602 error when `params` do not match `method`'s schema (as the SDK Server checks them); undefined when they do. */
export function paramsProblem(method: string, params: Record<string, unknown> | undefined): ProtocolError | undefined {
  const schema = (
    ROUTED_REQUEST_PARAMS as Record<string, (typeof ROUTED_REQUEST_PARAMS)[keyof typeof ROUTED_REQUEST_PARAMS]>
  )[method];
  const checked = schema?.safeParse(params ?? {});
  if (!checked || checked.success) return undefined;
  return invalidParams(
    method,
    checked.error.issues.map((issue) => ({ path: ['params', ...issue.path], message: issue.message })),
  );
}
