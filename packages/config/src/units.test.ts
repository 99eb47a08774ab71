import { formatDuration, parseDuration, parseSize } from './units';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    [' 10 s ', 10_000],
    ['250', 250],
    [1200, 1200],
  ])('reads %p as %p ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(['10 parsecs', '', 's', '-5s', '1e3ms'])('rejects %p', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('rejects negative and non-finite numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });

  it('formats back the way people write it', () => {
    expect([formatDuration(500), formatDuration(1500), formatDuration(60_000), formatDuration(7_200_000)]).toEqual([
      '500ms',
      '1.5s',
      '1m',
      '2h',
    ]);
  });
});

describe('parseSize', () => {
  it.each([
    ['512B', 512],
    ['10KB', 10_000],
    ['10MB', 10_000_000],
    ['1GB', 1_000_000_000],
    ['4KiB', 4096],
    ['4MiB', 4 * 1024 * 1024],
    ['1.5mb', 1_500_000],
    ['2048', 2048],
    [100, 100],
  ])('reads %p as %p bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each(['10 furlongs', 'MB', '-1MB'])('rejects %p', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});
