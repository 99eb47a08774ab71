import { createLoadBalancer, type Candidate } from './loadBalancer';

const three = (): Candidate[] => [0, 1, 2].map((index) => ({ index, inFlight: 0, weight: 1 }));

function spread(picks: number, pick: () => Candidate | undefined): number[] {
  const counts = [0, 0, 0];
  for (let i = 0; i < picks; i++) counts[pick()!.index]! += 1;
  return counts;
}

describe('load balancers', () => {
  it('round_robin spreads 300 calls over 3 replicas within ±10% of even', () => {
    const lb = createLoadBalancer('round_robin');
    const c = three();
    for (const n of spread(300, () => lb.pick(c))) expect(Math.abs(n - 100)).toBeLessThanOrEqual(10);
  });

  it('random spreads calls roughly evenly', () => {
    let seed = 42;
    const lb = createLoadBalancer('random', () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const c = three();
    for (const n of spread(3000, () => lb.pick(c))) expect(Math.abs(n - 1000)).toBeLessThanOrEqual(150);
  });

  it('least_connections prefers the least busy replica and rotates among equals', () => {
    const lb = createLoadBalancer('least_connections');
    expect(
      lb.pick([
        { index: 0, inFlight: 3, weight: 1 },
        { index: 1, inFlight: 1, weight: 1 },
        { index: 2, inFlight: 2, weight: 1 },
      ])?.index,
    ).toBe(1);
    const c = three();
    for (const n of spread(300, () => lb.pick(c))) expect(n).toBe(100);
  });

  it('weighted gives each replica its share', () => {
    const lb = createLoadBalancer('weighted');
    const c = [
      { index: 0, inFlight: 0, weight: 3 },
      { index: 1, inFlight: 0, weight: 1 },
      { index: 2, inFlight: 0, weight: 1 },
    ];
    expect(spread(500, () => lb.pick(c))).toEqual([300, 100, 100]);
  });

  it('consistent_hash keeps a session on one replica and moves only the sessions of a lost one', () => {
    const lb = createLoadBalancer('consistent_hash');
    const c = three();
    const before = new Map<string, number>();
    for (let i = 0; i < 90; i++) before.set(`s${i}`, lb.pick(c, `s${i}`)!.index);
    for (const [key, index] of before) expect(lb.pick(c, key)!.index).toBe(index);
    expect(new Set(before.values()).size).toBe(3);
    const without1 = c.filter((x) => x.index !== 1);
    for (const [key, index] of before) if (index !== 1) expect(lb.pick(without1, key)!.index).toBe(index);
  });

  it('returns undefined when no replica can take the call', () => {
    for (const algorithm of ['round_robin', 'least_connections', 'random', 'weighted', 'consistent_hash'] as const) {
      expect(createLoadBalancer(algorithm).pick([], 'k')).toBeUndefined();
    }
  });
});
