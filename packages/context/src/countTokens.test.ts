import { countTextTokens, countTokens } from './countTokens';

describe('countTokens', () => {
  it('counts known short strings in o200k_base', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
    // JSON adds the quotes, one token each here.
    expect(countTokens('hello world')).toBe(4);
    expect(countTokens({ a: 1 })).toBe(countTextTokens('{"a":1}'));
  });

  it('counts what JSON cannot represent as 0', () => {
    expect(countTokens(undefined)).toBe(0);
  });

  it('grows with the input', () => {
    let previous = 0;
    for (const n of [1, 2, 5, 20, 100]) {
      const tokens = countTokens(
        Array.from({ length: n }, (_, i) => ({ name: `tool_${i}`, description: 'Does a thing.' })),
      );
      expect(tokens).toBeGreaterThan(previous);
      previous = tokens;
    }
  });
});
