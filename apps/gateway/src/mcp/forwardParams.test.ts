import { forwardParams } from './forwardParams';

describe('forwardParams', () => {
  it('passes params without _meta unchanged', () => {
    expect(forwardParams({ name: 'x', arguments: { a: 1 } })).toEqual({ params: { name: 'x', arguments: { a: 1 } } });
    expect(forwardParams(undefined)).toEqual({ params: {} });
  });

  it('takes the progress token out and keeps other _meta keys', () => {
    expect(forwardParams({ name: 'x', _meta: { progressToken: 7, 'example.com/trace': 'abc' } })).toEqual({
      params: { name: 'x', _meta: { 'example.com/trace': 'abc' } },
      progressToken: 7,
    });
  });

  it('drops the envelope keys of the client hop, and an _meta left empty', () => {
    const params = {
      name: 'x',
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    };
    expect(forwardParams(params)).toEqual({ params: { name: 'x' } });
    expect(params._meta['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28'); // the input is not changed
  });
});
