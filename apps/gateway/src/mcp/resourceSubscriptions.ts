/**
 * Resource subscriptions across shared backend connections. Many clients may subscribe to one
 * URI; the owning backend is asked once (on the first subscriber) and released once (when the
 * last one unsubscribes or its session ends). A backend's `notifications/resources/updated`
 * goes to exactly the clients subscribed to that URI, never to the others.
 */
import type { Server } from '@modelcontextprotocol/server';
import type { Logger, Registry } from '@only1mcp/registry';
import type { CallContext } from './createMcpServer';

/** Who is subscribed to what, for one gateway process. */
export class ResourceSubscriptions {
  private readonly byUri = new Map<string, Set<Server>>();

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  /** Subscribes `client` to `uri`, asking the owning backend on the first subscription. */
  async subscribe(uri: string, client: Server, ctx: CallContext): Promise<Record<string, unknown>> {
    const subscribers = this.byUri.get(uri);
    if (subscribers) {
      subscribers.add(client);
      return {};
    }
    const result = await this.registry.routeByUri('resources/subscribe', { uri }, ctx);
    // Another client may have subscribed while the backend answered.
    const set = this.byUri.get(uri) ?? new Set<Server>();
    set.add(client);
    this.byUri.set(uri, set);
    return result;
  }

  /**
   * Asks `serverId` again for every URI it owns that someone here is subscribed to: called when a
   * replica of it connects, since a restarted backend holds none of the subscriptions it had.
   */
  resubscribe(serverId: string): void {
    for (const uri of this.byUri.keys()) {
      if (this.registry.resourceOwner(uri) !== serverId) continue;
      this.registry.routeByUri('resources/subscribe', { uri }, {}).then(
        () => this.logger.debug('resource subscription renewed', { uri, server: serverId }),
        (err: Error) =>
          this.logger.warn('could not renew a resource subscription after the backend reconnected', {
            uri,
            server: serverId,
            error: err.message,
          }),
      );
    }
  }

  /** Unsubscribes `client`; the backend is released when nobody is left. */
  async unsubscribe(uri: string, client: Server, ctx: CallContext = {}): Promise<Record<string, unknown>> {
    const subscribers = this.byUri.get(uri);
    if (!subscribers?.delete(client) || subscribers.size > 0) return {};
    this.byUri.delete(uri);
    return this.registry.routeByUri('resources/unsubscribe', { uri }, ctx);
  }

  /** True when `client` is subscribed to `uri` in this process. */
  holds(uri: string, client: Server): boolean {
    return this.byUri.get(uri)?.has(client) ?? false;
  }

  /** True when `client` is subscribed to anything in this process. */
  hasClient(client: Server): boolean {
    for (const subscribers of this.byUri.values()) if (subscribers.has(client)) return true;
    return false;
  }

  /** Drops every subscription of a client whose session ended. */
  dropClient(client: Server): void {
    for (const [uri, subscribers] of this.byUri) {
      if (!subscribers.has(client)) continue;
      void this.unsubscribe(uri, client).catch((err: Error) =>
        this.logger.debug('could not release a resource subscription', { uri, error: err.message }),
      );
    }
  }

  /** Delivers a backend's update to the clients subscribed to `uri`. */
  updated(uri: string): void {
    const subscribers = this.byUri.get(uri);
    this.logger.debug('resource updated', { uri, subscribers: subscribers?.size ?? 0 });
    for (const client of subscribers ?? []) {
      void client
        .sendResourceUpdated({ uri })
        .catch((err: Error) => this.logger.debug('could not deliver a resource update', { uri, error: err.message }));
    }
  }

  /** Subscribed URIs with their subscriber counts (for tests and the admin API). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.byUri].map(([uri, set]) => [uri, set.size]));
  }
}
