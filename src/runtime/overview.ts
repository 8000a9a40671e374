import { budgetKey } from "../limits/index.js";
import type { BudgetMinute, Connection, EventStatus, OutboxEvent, OutboxStats, Store, Subscription, SubscriptionKind } from "../store/index.js";
import { decodeTriggerCursor, InvalidCursorError, NO_CURSOR } from "../triggers/index.js";

/**
 * How a subscription delivers: a webhook (the service posts each event), Power Automate's
 * polling (the flow asks), or a library handler (`subscribe`, `watch`).
 *
 * @example
 * const kind: DeliveryKind = "webhook";
 */
export type DeliveryKind = "webhook" | "polling" | "library";

/**
 * One subscription as an operator looks at it: what it watches, how far its cursor is, when it
 * polled and polls next, and what waits in its outbox. Times are epoch milliseconds or `null`.
 *
 * @example
 * const rows: SubscriptionOverview[] = await overview.subscriptions(connectionId);
 */
export interface SubscriptionOverview {
  id: string;
  triggerId: string;
  kind: DeliveryKind;
  state: Subscription["state"];
  /** Intercom's time of the cursor's last complete scan (ms), `null` before the baseline. */
  cursorAt: number | null;
  /** The last poll a flow made (polling subscriptions), else the cursor's scan. */
  lastPollAt: number | null;
  nextPollAt: number;
  /** How far past its due time the next poll is now (ms, 0 when not yet due). */
  lateMs: number;
  events: OutboxStats;
  /** The newest event that left the outbox (delivered or dead), with its result. */
  lastDelivery: { eventId: number; status: EventStatus; at: number | null; attempts: number; error: string | null } | null;
  /** The webhook's callback URL (query values redacted by the caller), `null` for other kinds. */
  callbackUrl: string | null;
  createdAt: number;
}

function kindOf(kind: SubscriptionKind, isWebhook: boolean): DeliveryKind {
  if (isWebhook) return "webhook";
  return kind === "polling" ? "polling" : "library";
}

function cursorTime(cursor: string): number | null {
  if (cursor === NO_CURSOR) return null;
  try {
    return decodeTriggerCursor(cursor).polledAt * 1000;
  } catch (error) {
    // An unreadable cursor is the engine's to report when it polls; here it has no time.
    if (error instanceof InvalidCursorError) return null;
    throw error;
  }
}

/** At most this many events are read back to find a subscription's last delivery. */
const LAST_DELIVERY_WINDOW = 500;

/**
 * What the console shows of the store, read through the store's own methods (no second source
 * of truth): the connections, each connection's subscriptions with their outbox counts and last
 * delivery, and a subscription's events. Changes go through the `Runtime` and the store's
 * methods as the API's do.
 *
 * @example
 * const overview = new StoreOverview(runtime.store, runtime.now);
 * const rows = await overview.subscriptions(connectionId);
 */
export class StoreOverview {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Every connection, oldest first. */
  async connections(): Promise<Connection[]> {
    return this.store.listConnections();
  }

  /**
   * A connection's budget over the last `minutes` minutes (default 60) up to now, one entry per
   * minute, oldest first, minutes without a call as zeros: what its budget spent and refused
   * (`Store.budgetHistory`, kept by every instance on the database).
   *
   * @example
   * const hour = await overview.budget(connectionId); // 60 minutes, the last one the current
   */
  async budget(connectionId: string, minutes = 60): Promise<BudgetMinute[]> {
    const current = Math.floor(this.now() / 60_000) * 60_000;
    const first = current - (minutes - 1) * 60_000;
    const stored = await this.store.budgetHistory(budgetKey(connectionId), new Date(first));
    const byMinute = new Map(stored.map((m) => [m.minute.getTime(), m]));
    return Array.from({ length: minutes }, (_, i) => {
      const at = first + i * 60_000;
      return byMinute.get(at) ?? { minute: new Date(at), spent: 0, refused: 0 };
    });
  }

  /** A connection's subscriptions, oldest first. */
  async subscriptions(connectionId: string): Promise<SubscriptionOverview[]> {
    const [subscriptions, webhooks] = await Promise.all([this.store.listSubscriptions({ connectionId }), this.store.listWebhooks({ connectionId })]);
    const callbackOf = new Map(webhooks.map((w) => [w.subscriptionId, w.callbackUrl]));
    const now = this.now();
    return Promise.all(
      subscriptions.map(async (s): Promise<SubscriptionOverview> => {
        const [events, lastDelivery] = await Promise.all([this.store.outboxStats(s.id), this.lastDelivery(s.id)]);
        const cursorAt = cursorTime(s.cursor);
        return {
          id: s.id,
          triggerId: s.triggerId,
          kind: kindOf(s.kind, callbackOf.has(s.id)),
          state: s.state,
          cursorAt,
          lastPollAt: s.lastPolledAt?.getTime() ?? cursorAt,
          nextPollAt: s.nextPollAt.getTime(),
          lateMs: s.state === "active" ? Math.max(0, now - s.nextPollAt.getTime()) : 0,
          events,
          lastDelivery,
          callbackUrl: callbackOf.get(s.id) ?? null,
          createdAt: s.createdAt.getTime(),
        };
      }),
    );
  }

  /** A subscription's events in id order after `afterId`, optionally of one status. */
  async events(subscriptionId: string, options: { status?: EventStatus; afterId?: number; limit: number }): Promise<OutboxEvent[]> {
    return this.store.listEvents(subscriptionId, options);
  }

  private async lastDelivery(subscriptionId: string): Promise<SubscriptionOverview["lastDelivery"]> {
    const stats = await this.store.outboxStats(subscriptionId);
    if (stats.delivered + stats.dead === 0) return null;
    // Ids grow per subscription; the newest settled event is among the last ones.
    const tail = await this.tail(subscriptionId);
    const settled = tail.filter((e) => e.status !== "pending");
    const last = settled.reduce<OutboxEvent | null>((best, e) => (best === null || settledAt(e) >= settledAt(best) ? e : best), null);
    if (last === null) return null;
    return { eventId: last.id, status: last.status, at: last.deliveredAt?.getTime() ?? last.nextAttemptAt.getTime(), attempts: last.attempts, error: last.lastError };
  }

  /** The last events of a long outbox, read page by page (the store lists in id order only). */
  private async tail(subscriptionId: string): Promise<OutboxEvent[]> {
    let after = 0;
    let window: OutboxEvent[] = [];
    for (;;) {
      const page = await this.store.listEvents(subscriptionId, { afterId: after, limit: LAST_DELIVERY_WINDOW });
      if (page.length === 0) return window;
      window = page;
      after = page[page.length - 1]?.id ?? after;
      if (page.length < LAST_DELIVERY_WINDOW) return window;
    }
  }
}

function settledAt(event: OutboxEvent): number {
  return event.deliveredAt?.getTime() ?? event.nextAttemptAt.getTime();
}
