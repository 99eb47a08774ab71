/** Which tools pass, by name glob. */
export interface ToolFilterOptions {
  /**
   * Names to keep. Absent: every name is allowed. Present (even empty): only names matching one
   * of these globs are allowed.
   */
  allow?: string[];
  /** Names to drop; a name matching any of these is dropped even if `allow` matches it. */
  deny?: string[];
}

/**
 * Compiles a name glob: `*` is any run of characters (also none), `?` exactly one character,
 * everything else is literal. The glob must match the whole name, case-sensitively.
 */
export function compileGlob(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  // `s` so that `*` and `?` also cover a newline; `u` so that `?` is one code point, not one UTF-16 unit.
  return new RegExp(`^${source}$`, 'su');
}

/**
 * Builds the allow/deny predicate once, so the gateway can apply the same rule to list results
 * and to calls (a hidden tool must not be callable by name either).
 */
export function createToolNameFilter(options: ToolFilterOptions): (name: string) => boolean {
  const allow = options.allow?.map(compileGlob);
  const deny = (options.deny ?? []).map(compileGlob);
  return (name) => {
    if (deny.some((re) => re.test(name))) return false;
    return allow === undefined || allow.some((re) => re.test(name));
  };
}

/** Keeps the tools whose names pass `options` (deny wins over allow), in their original order. */
export function filterTools<T extends { name: string }>(tools: readonly T[], options: ToolFilterOptions): T[] {
  const passes = createToolNameFilter(options);
  return tools.filter((tool) => passes(tool.name));
}
