/**
 * The load balancer in front of the gateway replicas: HAProxy when it is installed (what
 * docker-compose.yml runs), otherwise a small Node reverse proxy with the same behaviour.
 */
import { findBinary } from './findBinary';
import { startHaproxyBalancer } from './haproxyBalancer';
import { startNodeBalancer } from './nodeBalancer';

/** The balancer implementations. */
export const BALANCER_KINDS = ['haproxy', 'node'] as const;
/** One balancer implementation. */
export type BalancerKind = (typeof BALANCER_KINDS)[number];
/** What to run: one implementation, or `auto` (HAProxy when on PATH, else Node). */
export type BalancerChoice = BalancerKind | 'auto';

/** One gateway replica behind the balancer. */
export interface Upstream {
  /** e.g. `gateway-1`. */
  name: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
}

/** Options shared by every balancer implementation. */
export interface BalancerOptions {
  /** Loopback port to listen on (0: a free one). */
  port: number;
  upstreams: Upstream[];
  /** Time between health checks (`GET /ready`) of each replica. */
  checkIntervalMs: number;
  /** A directory for generated files and logs. */
  workDir: string;
  /** Environment for a balancer process. */
  env: NodeJS.ProcessEnv;
}

/** A running balancer. */
export interface Balancer {
  readonly kind: BalancerKind;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** HAProxy's statistics page; absent for the Node balancer. */
  readonly statsUrl?: string;
  /** The balancer's own process, when it runs in one. */
  readonly pid?: number;
  /** That process's output. */
  readonly logFile?: string;
  /** Names of the replicas the balancer currently sends traffic to. */
  healthyUpstreams(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The implementation `choice` stands for here: `auto` is HAProxy when it is installed. */
export function resolveBalancerKind(choice: BalancerChoice): BalancerKind {
  if (choice !== 'auto') return choice;
  return findBinary('haproxy') ? 'haproxy' : 'node';
}

/** Starts the chosen balancer; resolves once it listens. */
export function startBalancer(choice: BalancerChoice, options: BalancerOptions): Promise<Balancer> {
  const kind = resolveBalancerKind(choice);
  return kind === 'haproxy' ? startHaproxyBalancer(options) : startNodeBalancer(options);
}
