/**
 * Resource subscriptions across shared backend connections. Many clients may subscribe to one
 * URI; the owning backend is asked once (on the first subscriber) and released once (when the
 * last one unsubscribes or its session ends). A backend's `notifications/resources/updated`
 * goes to exactly the clients subscribed to that URI, never to the others.
 *
 * With several replicas of a server, a subscription belongs to the replica that took it: the
 * release goes to that replica (not to the balancer's pick, which left the subscription held, and
 * its updates sent, by a replica nobody asked to stop), and when a replica connects it is asked
 * again for its own subscriptions and takes over those whose replica is down.
 */
import type { Server } from '@modelcontextprotocol/server';
import type { Logger, Registry } from '@only1mcp/registry';
import type { CallContext } from './createMcpServer';

/** One subscribed URI: who holds it here, and the replica of its server asked for it. */
interface Subscription {
  clients: Set<Server>;
  /** Unknown when the backend served the request on the session's own connection (`per_session`). */
  replica?: number;
}

/** Who is subscribed to what, for one gateway process. */
export class ResourceSubscriptions {
  private readonly byUri = new Map<string, Subscription>();

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  /** Subscribes `client` to `uri`, asking the owning backend on the first subscription. */
  async subscribe(uri: string, client: Server, ctx: CallContext): Promise<Record<string, unknown>> {
    const held = this.byUri.get(uri);
    if (held) {
      held.clients.add(client);
      return {};
    }
    // The balancer picks the replica; `affinity` tells which one it was.
    const affinity: { replica?: number } = {};
    const result = await this.registry.routeByUri('resources/subscribe', { uri }, { ...ctx, affinity });
    // Another client may have subscribed while the backend answered.
    const subscription = this.byUri.get(uri) ?? { clients: new Set<Server>(), replica: affinity.replica };
    subscription.clients.add(client);
    this.byUri.set(uri, subscription);
    return result;
  }

  /**
   * Replica `replica` of `serverId` connected: a restarted backend holds none of the subscriptions
   * it had, so it is asked again for its own, and it takes over those of `serverId` whose replica
   * is down (their updates would otherwise wait for that replica to come back).
   */
  resubscribe(serverId: string, replica: number): void {
    for (const [uri, subscription] of this.byUri) {
      if (this.registry.resourceOwner(uri) !== serverId) continue;
      const pinned = subscription.replica;
      if (pinned !== undefined && pinned !== replica && this.registry.replicaUp(serverId, pinned)) continue;
      const affinity = pinned === undefined ? undefined : { replica };
      if (affinity) subscription.replica = replica;
      this.registry.routeByUri('resources/subscribe', { uri }, { affinity }).then(
        () => this.logger.debug('resource subscription renewed', { uri, server: serverId, replica }),
        (err: Error) =>
          this.logger.warn('could not renew a resource subscription after the backend reconnected', {
            uri,
            server: serverId,
            replica,
            error: err.message,
          }),
      );
    }
  }

  /** Unsubscribes `client`; the backend is released when nobody is left. */
  async unsubscribe(uri: string, client: Server, ctx: CallContext = {}): Promise<Record<string, unknown>> {
    const subscription = this.byUri.get(uri);
    if (!subscription?.clients.delete(client) || subscription.clients.size > 0) return {};
    this.byUri.delete(uri);
    const { replica } = subscription;
    if (replica === undefined) return this.registry.routeByUri('resources/unsubscribe', { uri }, ctx);
    // A replica that is down took its subscriptions with it: nothing is left to release.
    const owner = this.registry.resourceOwner(uri);
    if (owner === undefined || !this.registry.replicaUp(owner, replica)) return {};
    return this.registry.routeByUri('resources/unsubscribe', { uri }, { ...ctx, affinity: { replica } });
  }

  /** True when `client` is subscribed to `uri` in this process. */
  holds(uri: string, client: Server): boolean {
    return this.byUri.get(uri)?.clients.has(client) ?? false;
  }

  /** True when `client` is subscribed to anything in this process. */
  hasClient(client: Server): boolean {
    for (const { clients } of this.byUri.values()) if (clients.has(client)) return true;
    return false;
  }

  /** Drops every subscription of a client whose session ended. */
  dropClient(client: Server): void {
    for (const [uri, { clients }] of this.byUri) {
      if (!clients.has(client)) continue;
      void this.unsubscribe(uri, client).catch((err: Error) =>
        this.logger.debug('could not release a resource subscription', { uri, error: err.message }),
      );
    }
  }

  /** Delivers a backend's update to the clients subscribed to `uri`. */
  updated(uri: string): void {
    const clients = this.byUri.get(uri)?.clients;
    this.logger.debug('resource updated', { uri, subscribers: clients?.size ?? 0 });
    for (const client of clients ?? []) {
      void client
        .sendResourceUpdated({ uri })
        .catch((err: Error) => this.logger.debug('could not deliver a resource update', { uri, error: err.message }));
    }
  }

  /** Subscribed URIs with their subscriber counts (for tests and the admin API). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.byUri].map(([uri, { clients }]) => [uri, clients.size]));
  }
}
