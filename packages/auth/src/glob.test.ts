import { globMatcher } from './glob';

describe('globMatcher', () => {
  it('matches `*` across any run of characters, including `_` and none', () => {
    const match = globMatcher(['files__read_*']);
    expect(match('files__read_file')).toBe(true);
    expect(match('files__read_')).toBe(true);
    expect(match('files__read_dir_tree')).toBe(true);
    expect(match('files__write_file')).toBe(false);
  });

  it('matches `?` as exactly one character', () => {
    const match = globMatcher(['tool_?']);
    expect(match('tool_a')).toBe(true);
    expect(match('tool_')).toBe(false);
    expect(match('tool_ab')).toBe(false);
  });

  it('matches the whole name, case-sensitively', () => {
    const match = globMatcher(['github__*']);
    expect(match('xgithub__issues')).toBe(false);
    expect(match('GitHub__issues')).toBe(false);
    expect(globMatcher(['read'])('read_more')).toBe(false);
  });

  it('takes regex metacharacters literally', () => {
    expect(globMatcher(['a.b'])('a.b')).toBe(true);
    expect(globMatcher(['a.b'])('axb')).toBe(false);
    expect(globMatcher(['x+y'])('x+y')).toBe(true);
    expect(globMatcher(['x+y'])('xxy')).toBe(false);
    for (const name of ['(a|b)', '[ab]', 'a{2}', '^a$', 'a\\d', 'a-b', 'a/b']) {
      expect(globMatcher([name])(name)).toBe(true);
    }
    expect(globMatcher(['(a|b)'])('a')).toBe(false);
  });

  it('matches resource URIs, `*` crossing `/`', () => {
    const match = globMatcher(['file:///srv/docs/*']);
    expect(match('file:///srv/docs/a/b.md')).toBe(true);
    expect(match('file:///srv/secrets/key')).toBe(false);
  });

  it('matches any of several patterns, and nothing with none', () => {
    const match = globMatcher(['a', 'b*']);
    expect(match('a')).toBe(true);
    expect(match('bcd')).toBe(true);
    expect(match('c')).toBe(false);
    expect(globMatcher([])('')).toBe(false);
    expect(globMatcher(['*'])('')).toBe(true);
  });
});
