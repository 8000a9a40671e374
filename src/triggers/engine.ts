import { connectorError, err, ok, type ConnectorError, type Result, type TriggerId } from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";
import type { ConnectionCallBudget } from "../limits/index.js";
import { Lookups } from "../operations/index.js";
import type { NewEvent, OutboxEvent, Store, Subscription } from "../store/index.js";
import { countCalls } from "./call-counter.js";
import { decodeTriggerCursor, encodeTriggerCursor, type TriggerCursor } from "./cursor.js";
import { pollTrigger } from "./poll.js";
import { TRIGGERS } from "./registry.js";

/** How often each trigger asks Intercom for news by default (the seed's limit). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 120;
/**
 * How far behind its last poll each scan looks by default. Intercom documents that new contacts
 * may reach search "a few minutes" late; ten minutes covers that with room to spare.
 */
export const DEFAULT_LOOKBACK_SECONDS = 600;
/**
 * The stored cursor of a subscription that has not made its baseline poll yet: its first poll
 * records what exists and emits nothing.
 *
 * @example
 * await store.createSubscription({ connectionId, triggerId: "TrigNewLead", cursor: NO_CURSOR, nextPollAt: new Date() });
 */
export const NO_CURSOR = "null";

/** What one poll did. */
export interface PollReport {
  subscriptionId: string;
  /** Events stored in the outbox by this poll (duplicates excluded). */
  emitted: number;
  /** Intercom calls the poll spent (searches and name lookups). */
  calls: number;
  baseline: boolean;
  /** False when a page failed mid-scan: what was found is kept, the window is scanned again. */
  complete: boolean;
  /** False when another poller committed first; this poll's findings were dropped. */
  committed: boolean;
}

/** What the engine needs. */
export interface TriggerEngineOptions {
  store: Store;
  /** The transport of a connection (built with its decrypted token). */
  transportFor: (connectionId: string) => Promise<IntercomTransport>;
  /** The per-connection budget, spent once per poll as by each action. */
  budget?: ConnectionCallBudget;
  pollIntervalSeconds?: number;
  lookbackSeconds?: number;
  /** Local clock in milliseconds (scheduling only; Intercom's clock drives the cursor). */
  now?: () => number;
}

/** A consumer takes a batch of events; the engine acknowledges them once it returns. */
export type EventConsumer = (events: readonly OutboxEvent[]) => void | Promise<void>;

/**
 * The polling engine: polls a subscription's trigger, stores its events and advanced cursor in one
 * transaction, and hands pending events to a consumer, acknowledging only what it took.
 *
 * @example
 * const engine = new TriggerEngine({ store, transportFor });
 * const sub = await engine.subscribe(connectionId, "TrigNewLead");
 * await engine.poll(sub.id);
 * await engine.deliver(sub.id, (events) => { for (const e of events) console.log(e.payload); });
 */
export class TriggerEngine {
  readonly pollIntervalSeconds: number;
  readonly lookbackSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: TriggerEngineOptions) {
    this.pollIntervalSeconds = options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
    this.lookbackSeconds = options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS;
    if (!(this.pollIntervalSeconds > 0)) throw new RangeError("pollIntervalSeconds must be positive");
    if (!(this.lookbackSeconds >= 0)) throw new RangeError("lookbackSeconds must not be negative");
    this.now = options.now ?? Date.now;
  }

  /** Creates a subscription; its first poll records what exists, so it fires only for what comes after. */
  async subscribe(connectionId: string, triggerId: TriggerId): Promise<Subscription> {
    return this.options.store.createSubscription({ connectionId, triggerId, cursor: NO_CURSOR, nextPollAt: new Date(this.now()) });
  }

  /** Polls one subscription now. */
  async poll(subscriptionId: string): Promise<Result<PollReport, ConnectorError>> {
    const { store } = this.options;
    const subscription = await store.getSubscription(subscriptionId);
    if (subscription === null) return err(connectorError("not_found", { resource: "subscription", id: subscriptionId }));
    const budget = this.options.budget;
    if (budget !== undefined) {
      const decision = await budget.spend(subscription.connectionId);
      if (!decision.allowed) {
        return err(
          connectorError(
            "rate_limited",
            { limit: budget.callsPerWindow, window: budget.windowSeconds, retry_after: decision.retryAfterSeconds },
            { retryAfterSeconds: decision.retryAfterSeconds },
          ),
        );
      }
    }
    const trigger = TRIGGERS[subscription.triggerId];
    const counted = countCalls(await this.options.transportFor(subscription.connectionId));
    const intercom = counted.transport;
    const cursor: TriggerCursor | null = subscription.cursor === NO_CURSOR ? null : decodeTriggerCursor(subscription.cursor);
    const polled = await pollTrigger(trigger.source(intercom), cursor, {
      lookbackSeconds: this.lookbackSeconds,
      retryWithoutExclusions: (error) => (error as ConnectorError).code === "intercom_rejected",
    });
    if (!polled.ok) return polled;

    const lookups = new Lookups(intercom);
    const events: NewEvent[] = [];
    const source = trigger.source(intercom);
    for (const item of polled.value.events) {
      const payload = await trigger.toEvent(item, lookups);
      if (!payload.ok) return payload;
      events.push({ dedupeKey: source.key(item), payload: payload.value });
    }
    const result = await store.commitPoll(subscription.id, {
      expectedCursorVersion: subscription.cursorVersion,
      newCursor: encodeTriggerCursor(polled.value.cursor),
      events,
      nextPollAt: new Date(this.now() + this.pollIntervalSeconds * 1000),
    });
    return ok({
      subscriptionId: subscription.id,
      emitted: result.committed ? result.inserted.length : 0,
      calls: counted.calls(),
      baseline: polled.value.baseline,
      complete: polled.value.complete,
      committed: result.committed,
    });
  }

  /**
   * Polls `subscription` only if its next poll is due and this caller wins the interval: a
   * compare-and-set on the cursor version first moves the next poll an interval on (whatever the
   * poll's outcome), so concurrent callers, in this process or others on the same database, ask
   * Intercom at most once per interval. `null`: not due, or another caller won. `subscription` is
   * as the caller read it; a stale one loses the compare-and-set.
   */
  async pollIfDue(subscription: Subscription): Promise<Result<PollReport, ConnectorError> | null> {
    const now = this.now();
    if (subscription.nextPollAt.getTime() > now) return null;
    const reserved = await this.options.store.commitPoll(subscription.id, {
      expectedCursorVersion: subscription.cursorVersion,
      newCursor: subscription.cursor,
      events: [],
      nextPollAt: new Date(now + this.pollIntervalSeconds * 1000),
    });
    return reserved.committed ? this.poll(subscription.id) : null;
  }

  /**
   * Hands pending events (oldest first, up to `limit` at a time) to `consume` and acknowledges
   * each batch once `consume` returns; a batch whose consumer throws stays pending. Returns how
   * many events were delivered.
   */
  async deliver(subscriptionId: string, consume: EventConsumer, limit = 100): Promise<number> {
    const { store } = this.options;
    let delivered = 0;
    for (;;) {
      const batch = await store.pendingEvents(subscriptionId, limit);
      if (batch.length === 0) return delivered;
      await consume(batch);
      await store.ackEvents(subscriptionId, batch.map((e) => e.id));
      delivered += batch.length;
      if (batch.length < limit) return delivered;
    }
  }

  /**
   * Polls a subscription every interval and delivers its events until `signal` aborts. Failed
   * polls (Intercom down, budget spent) are retried at the next interval, or after `Retry-After`.
   */
  async run(subscriptionId: string, consume: EventConsumer, options: { signal: AbortSignal; onPoll?: (report: Result<PollReport, ConnectorError>) => void }): Promise<void> {
    const { signal } = options;
    // Events a previous run stored but did not hand over go first.
    await this.deliver(subscriptionId, consume);
    while (!signal.aborted) {
      const report = await this.poll(subscriptionId);
      options.onPoll?.(report);
      if (signal.aborted) break;
      await this.deliver(subscriptionId, consume);
      const waitSeconds = !report.ok && report.error.retryAfterSeconds !== undefined ? Math.max(report.error.retryAfterSeconds, 1) : this.pollIntervalSeconds;
      await sleep(waitSeconds * 1000, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
