/**
 * The audit log (`audit:` in config): one JSON line per `tools/call`, `resources/read`,
 * `prompts/get` and admin action — allowed, denied, rate-limited or failed — with who, what,
 * where, how it ended and how long it took. Arguments are recorded as a sha256 of their JSON (the
 * arguments themselves only with `include_arguments`), so the log proves what was asked without
 * holding the data. It is a stream of its own, apart from the operational log.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '@only1mcp/config';

/** One audited event. */
export interface AuditEvent {
  /** `tools/call`, `resources/read`, `prompts/get`, `admin:<action>`, or `http` for refusals before any method. */
  action: string;
  clientId?: string;
  session?: string;
  /** The backend server the request went (or would have gone) to. */
  server?: string;
  /** The tool or prompt name, or the resource URI. */
  target?: string;
  /** `ok`, `denied` (Forbidden), `unauthenticated`, `rate_limited`, or an error-code name. */
  outcome: string;
  latencyMs?: number;
  arguments?: unknown;
}

/** Where audit events go. */
export interface AuditLog {
  record(event: AuditEvent): void;
  close(): Promise<void>;
}

/** The sha256 of a value's JSON, `sha256:<hex>`. */
export function hashArguments(value: unknown): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex')}`;
}

/** Opens the audit log `config.audit` describes; undefined when it is off. */
export function createAuditLog(audit: Config['audit']): AuditLog | undefined {
  if (!audit.enabled) return undefined;
  let stream: NodeJS.WritableStream;
  let file: WriteStream | undefined;
  if (audit.file === 'stderr') stream = process.stderr;
  else if (audit.file === 'stdout') stream = process.stdout;
  else {
    mkdirSync(dirname(audit.file), { recursive: true });
    stream = file = createWriteStream(audit.file, { flags: 'a' });
    // A full disk must not take the gateway down; the operational log says so once.
    file.once('error', (err) => process.stderr.write(`only1mcp: audit log ${audit.file}: ${err.message}\n`));
  }
  return {
    record({ arguments: args, ...event }) {
      const line = {
        time: new Date().toISOString(),
        ...event,
        ...(args === undefined
          ? {}
          : { arguments_sha256: hashArguments(args), ...(audit.include_arguments ? { arguments: args } : {}) }),
      };
      stream.write(`${JSON.stringify(line)}\n`);
    },
    close: () => new Promise<void>((resolve) => (file ? file.end(() => resolve()) : resolve())),
  };
}
