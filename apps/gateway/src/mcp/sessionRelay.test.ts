import { parseRelayedId } from './sessionRelay';

describe('parseRelayedId', () => {
  it('splits a relayed id into the replica and the SDK’s own id, of either type', () => {
    expect(parseRelayedId('o1m:2f1c-9a:7')).toEqual({ replica: '2f1c-9a', id: 7 });
    expect(parseRelayedId('o1m:r1:"abc"')).toEqual({ replica: 'r1', id: 'abc' });
  });

  it('leaves every other id alone', () => {
    for (const id of [7, 'plain', 'o1m:', 'o1m::7', 'o1m:r1:not-json', undefined, null])
      expect(parseRelayedId(id)).toBeUndefined();
  });
});
