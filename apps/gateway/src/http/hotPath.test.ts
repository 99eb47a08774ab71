import { declaresOtherCharset, needsBodyParser } from './hotPath';

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

describe('needsBodyParser', () => {
  it('leaves a compressed body or another charset to the body parser, and takes the rest', () => {
    expect(needsBodyParser({ 'content-type': 'application/json' })).toBe(false);
    expect(needsBodyParser({ 'content-encoding': 'identity', 'content-type': 'application/json' })).toBe(false);
    expect(needsBodyParser({ 'content-encoding': 'gzip' })).toBe(true);
    expect(needsBodyParser({ 'content-encoding': 'br', 'content-type': 'application/json' })).toBe(true);
    expect(needsBodyParser({ 'content-type': 'application/json; charset=utf-16' })).toBe(true);
  });
});
