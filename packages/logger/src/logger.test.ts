import { errorMessage, silentLogger } from './logger';

describe('errorMessage', () => {
  it('is the message of an Error and the string of anything else', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

describe('silentLogger', () => {
  it('takes every level and writes nothing', () => {
    const write = jest.spyOn(process.stderr, 'write');
    for (const level of ['error', 'warn', 'info', 'debug'] as const) silentLogger[level]('ignored', { a: 1 });
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });
});
