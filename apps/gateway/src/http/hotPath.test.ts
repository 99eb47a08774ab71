import { declaresOtherCharset } from './hotPath';

describe('declaresOtherCharset', () => {
  it('lets UTF-8 and an undeclared charset through, whatever the case and quoting', () => {
    for (const type of [
      undefined,
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON;CHARSET=UTF-8',
      'application/json; charset="utf-8"',
    ])
      expect(declaresOtherCharset(type)).toBe(false);
  });

  it('names every other declared charset, the dashless "utf8" included (the body parser refuses it)', () => {
    for (const type of [
      'application/json; charset=utf-16le',
      'application/json;charset=Shift_JIS',
      'application/json; charset="latin1"',
      'application/json; charset=utf8',
    ])
      expect(declaresOtherCharset(type)).toBe(true);
  });
});
