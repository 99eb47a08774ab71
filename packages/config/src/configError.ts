/**
 * Configuration problems, reported all at once, each with the file, the key path and what is
 * wrong in plain words, never a stack trace.
 */

/** One problem in a configuration. */
export interface ConfigIssue {
  /** The file the problem is in (or the environment variable that set the value). */
  source: string;
  /** Key path as people read it: `servers[2].url`; empty for the whole document. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
  /** 1-based line, when the format lets us find it. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

/** Raised when a configuration cannot be found, read, parsed or validated. */
export class ConfigError extends Error {
  /** Every problem found, in file order. */
  readonly issues: ConfigIssue[];

  constructor(summary: string, issues: ConfigIssue[] = []) {
    super(issues.length === 0 ? summary : `${summary}\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Formats one issue as `file:line:column servers[2].url: message`. */
export function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.line === undefined
      ? issue.source
      : `${issue.source}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/** Turns a key path into its readable form: ['servers', 2, 'url'] → `servers[2].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
