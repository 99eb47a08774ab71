import CircuitBreaker from 'opossum';
import { BucketRotation } from './bucketRotation';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A breaker whose window is ten 20 ms buckets turned by `rotation`, and whose every call fails. */
function failingBreaker(rotation: BucketRotation): CircuitBreaker<[], never> {
  return new CircuitBreaker(() => Promise.reject(new Error('down')), {
    rollingCountTimeout: 200,
    rollingCountBuckets: 10,
    volumeThreshold: 100,
    enableSnapshots: false,
    rotateBucketController: rotation.controller(20),
  });
}

describe('BucketRotation', () => {
  const rotation = new BucketRotation();
  afterEach(() => rotation.stop());

  it('gives breakers with the same bucket length one controller, and one timer', () => {
    expect(rotation.controller(20)).toBe(rotation.controller(20));
    expect(rotation.controller(50)).not.toBe(rotation.controller(20));
    expect(rotation.running.sort()).toEqual([20, 50]);
  });

  it('turns the windows of the breakers listening: failures leave the window once it has passed', async () => {
    const breakers = [failingBreaker(rotation), failingBreaker(rotation)];
    await Promise.allSettled(breakers.map((b) => b.fire()));
    expect(breakers.map((b) => b.stats.failures)).toEqual([1, 1]);
    await sleep(400);
    expect(breakers.map((b) => b.stats.failures)).toEqual([0, 0]);
    for (const b of breakers) b.shutdown();
  });

  it('stops its timer once the last breaker has shut down', async () => {
    const breaker = failingBreaker(rotation);
    expect(rotation.running).toEqual([20]);
    breaker.shutdown();
    await sleep(60);
    expect(rotation.running).toEqual([]);
  });
});
