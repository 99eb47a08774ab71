import { compileGlob, createToolNameFilter, filterTools } from './filterTools';

const tools = ['github__create_issue', 'github__delete_repo', 'slack__post', 'fs.read', 'a+b', 'x'].map((name) => ({
  name,
}));
const names = (options: Parameters<typeof filterTools>[1]) => filterTools(tools, options).map((tool) => tool.name);

describe('compileGlob', () => {
  it('matches whole names, * any run, ? one character, the rest literally and case-sensitively', () => {
    expect(compileGlob('github__*').test('github__x')).toBe(true);
    expect(compileGlob('github__*').test('xgithub__x')).toBe(false);
    expect(compileGlob('*').test('')).toBe(true);
    expect(compileGlob('?').test('x')).toBe(true);
    expect(compileGlob('?').test('xy')).toBe(false);
    expect(compileGlob('fs.read').test('fsXread')).toBe(false);
    expect(compileGlob('a+b').test('a+b')).toBe(true);
    expect(compileGlob('Slack__*').test('slack__post')).toBe(false);
  });
});

describe('filterTools', () => {
  it('keeps everything without options and nothing with an empty allow list', () => {
    expect(names({})).toHaveLength(tools.length);
    expect(names({ allow: [] })).toEqual([]);
  });

  it('applies allow and deny, deny winning, in the original order', () => {
    expect(names({ allow: ['github__*', '?'] })).toEqual(['github__create_issue', 'github__delete_repo', 'x']);
    expect(names({ allow: ['github__*'], deny: ['*delete*'] })).toEqual(['github__create_issue']);
    expect(names({ deny: ['github__*', 'fs.*'] })).toEqual(['slack__post', 'a+b', 'x']);
  });

  it('gives the same rule as a predicate for calls', () => {
    const allowed = createToolNameFilter({ allow: ['slack__*'], deny: ['slack__admin_*'] });
    expect(allowed('slack__post')).toBe(true);
    expect(allowed('slack__admin_kick')).toBe(false);
    expect(allowed('github__create_issue')).toBe(false);
  });
});
