/** Name globs as written in `auth.roles.*.allow/deny`: `*` any run of characters, `?` one, the rest literal. */

/**
 * A regular expression source matching exactly what `pattern` matches: `*` is any run of
 * characters (including none, `_`, `/` and `.`), `?` is one character, every other character
 * (regex metacharacters included) stands for itself.
 */
function globSource(pattern: string): string {
  let source = '';
  for (const char of pattern.replace(/\*+/g, '*')) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  return source;
}

/**
 * A test that is true when a name matches any of `patterns` (whole name, case-sensitive).
 * Compiled once into one regular expression; no patterns match nothing.
 */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const regex = new RegExp(`^(?:${patterns.map(globSource).join('|')})$`, 'u');
  return (name) => regex.test(name);
}
