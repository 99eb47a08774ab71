/**
 * Picks a replica for each call among the ones that can take it, by `routing.algorithm`.
 */
import { createHash } from 'node:crypto';
import type { RoutingAlgorithm } from '@only1mcp/config';

/** What the balancer needs to know about a replica. */
export interface Candidate {
  /** Position of the replica in its server's list (stable). */
  index: number;
  /** Calls in flight on it now. */
  inFlight: number;
  /** Relative share under `weighted`. */
  weight: number;
}

/** Chooses among candidates; `key` makes `consistent_hash` sticky (the client session). */
export interface LoadBalancer {
  pick(candidates: readonly Candidate[], key?: string): Candidate | undefined;
}

class RoundRobin implements LoadBalancer {
  private next = 0;
  pick(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    return candidates[this.next++ % candidates.length];
  }
}

class LeastConnections implements LoadBalancer {
  private tie = 0;
  pick(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const least = Math.min(...candidates.map((c) => c.inFlight));
    const tied = candidates.filter((c) => c.inFlight === least);
    // Rotate among equals so an idle pool is still spread evenly.
    return tied[this.tie++ % tied.length];
  }
}

class RandomPick implements LoadBalancer {
  constructor(private readonly random: () => number) {}
  pick(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    return candidates[Math.floor(this.random() * candidates.length)];
  }
}

/** Smooth weighted round robin (as nginx does it): exact shares, evenly interleaved. */
class Weighted implements LoadBalancer {
  private readonly current = new Map<number, number>();
  pick(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const total = candidates.reduce((sum, c) => sum + c.weight, 0);
    let best: Candidate | undefined;
    for (const c of candidates) {
      const value = (this.current.get(c.index) ?? 0) + c.weight;
      this.current.set(c.index, value);
      if (best === undefined || value > this.current.get(best.index)!) best = c;
    }
    this.current.set(best!.index, this.current.get(best!.index)! - total);
    return best;
  }
}

/** Rendezvous hashing: the same key keeps its replica, and only keys of a lost replica move. */
class ConsistentHash implements LoadBalancer {
  private readonly fallback = new RoundRobin();
  pick(candidates: readonly Candidate[], key?: string): Candidate | undefined {
    if (key === undefined) return this.fallback.pick(candidates);
    let best: Candidate | undefined;
    let bestScore = -1n;
    for (const c of candidates) {
      const score = createHash('sha256').update(`${key}\u0000${c.index}`).digest().readBigUInt64BE(0);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }
}

/** Creates the balancer for an algorithm. */
export function createLoadBalancer(algorithm: RoutingAlgorithm, random: () => number = Math.random): LoadBalancer {
  switch (algorithm) {
    case 'round_robin':
      return new RoundRobin();
    case 'least_connections':
      return new LeastConnections();
    case 'random':
      return new RandomPick(random);
    case 'weighted':
      return new Weighted();
    case 'consistent_hash':
      return new ConsistentHash();
  }
}
