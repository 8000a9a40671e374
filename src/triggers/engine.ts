import { connectorError, err, ok, type ConnectorError, type Result, type TriggerId } from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";
import type { NewEvent, OutboxEvent, PollCommit, Store, Subscription } from "../store/index.js";
import { countCalls } from "./call-counter.js";
import { decodeTriggerCursor, encodeTriggerCursor, InvalidCursorError, type TriggerCursor } from "./cursor.js";
import { filtersKey, type SubscriptionFilters } from "./filters.js";
import type { TriggerScan } from "./define-trigger.js";
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
/**
 * How long a Power Automate polling subscription lives without a poll, by default: 7 days. Power
 * Automate makes a new one each time a flow is re-saved or turned back on and never deletes the
 * old one, so an abandoned one would otherwise take every push for ever.
 *
 * @example
 * new TriggerEngine({ store, intercomFor, subscriptionIdleSeconds: DEFAULT_SUBSCRIPTION_IDLE_SECONDS });
 */
export const DEFAULT_SUBSCRIPTION_IDLE_SECONDS = 7 * 86_400;
/** A poll is recorded at most this often per subscription (a write per poll would cost every poll). */
const RECORD_POLL_EVERY_MS = 60_000;

/** What one poll did, for the subscription it was asked for. */
export interface PollReport {
  subscriptionId: string;
  /** Events stored in this subscription's outbox by this poll (duplicates excluded). */
  emitted: number;
  /** Intercom calls the scan spent (searches and name lookups), shared by every subscription in it. */
  calls: number;
  baseline: boolean;
  /** False when a page failed mid-scan: what was found is kept, the window is scanned again. */
  complete: boolean;
  /** False when another poller committed first; this poll's findings were dropped. */
  committed: boolean;
  /** Subscriptions the scan served (this one and those of the same connection and trigger). */
  shared: number;
}

/** What the engine needs. */
export interface TriggerEngineOptions {
  store: Store;
  /**
   * A connection's transport for one scan, once one unit of its budget is spent (the runtime's
   * `intercomFor`): `not_found` or `rate_limited` as values.
   */
  intercomFor: (connectionId: string) => Promise<Result<IntercomTransport, ConnectorError>>;
  pollIntervalSeconds?: number;
  lookbackSeconds?: number;
  /**
   * Seconds without a poll after which a `polling` subscription (Power Automate's) has expired:
   * no push fans out to it, no scan serves it, its poll answers `subscription_expired`, and the
   * retention sweep deletes it. Default `DEFAULT_SUBSCRIPTION_IDLE_SECONDS`.
   */
  subscriptionIdleSeconds?: number;
  /** Local clock in milliseconds (scheduling only; Intercom's clock drives the cursor). */
  now?: () => number;
  /** Told when a scan starts for a subscription that was due, with how late it runs (metrics). */
  onScan?: (triggerId: TriggerId, lateSeconds: number) => void;
}

/** A consumer takes a batch of events; the engine acknowledges them once it returns. */
export type EventConsumer = (events: readonly OutboxEvent[]) => void | Promise<void>;

/** How a poll is made. */
export interface PollOptions {
  /** The caller holds this subscription's poll lease: the commit requires it and releases it. */
  leaseOwner?: string;
}

/**
 * The polling engine. A poll of a subscription is one scan for every active subscription of the
 * same connection and trigger (25 flows on `TrigNewLead` cost one Intercom call per interval, not
 * 25), fanned out to each one's outbox in one transaction, each with its own cursor and baseline;
 * it spends one unit of the connection's budget. Pending events go to a consumer and are
 * acknowledged only once it took them.
 *
 * @example
 * const engine = new TriggerEngine({ store, intercomFor: (id) => runtime.intercomFor(id) });
 * const sub = await engine.subscribe(connectionId, "TrigNewLead");
 * await engine.poll(sub.id);
 * await engine.deliver(sub.id, (events) => { for (const e of events) console.log(e.payload); });
 */
export class TriggerEngine {
  readonly pollIntervalSeconds: number;
  readonly lookbackSeconds: number;
  readonly subscriptionIdleSeconds: number;
  private readonly now: () => number;
  /** In-process waiters (library subscriptions) woken when their outbox grows. */
  private readonly waiters = new Map<string, Set<() => void>>();
  /** The scan running in this process for each connection and trigger, which later polls of the group join. */
  private readonly scans = new Map<string, Promise<Map<string, Result<PollReport, ConnectorError>>>>();

  constructor(private readonly options: TriggerEngineOptions) {
    this.pollIntervalSeconds = options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
    this.lookbackSeconds = options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS;
    if (!(this.pollIntervalSeconds > 0)) throw new RangeError("pollIntervalSeconds must be positive");
    if (!(this.lookbackSeconds >= 0)) throw new RangeError("lookbackSeconds must not be negative");
    this.subscriptionIdleSeconds = options.subscriptionIdleSeconds ?? DEFAULT_SUBSCRIPTION_IDLE_SECONDS;
    if (!(Number.isSafeInteger(this.subscriptionIdleSeconds) && this.subscriptionIdleSeconds > 0)) throw new RangeError("subscriptionIdleSeconds must be a positive integer");
    this.now = options.now ?? Date.now;
  }

  /**
   * Creates a subscription; its first poll records what exists, so it fires only for what comes
   * after. A `polling` one (Power Automate's) counts as polled now and expires once idle for
   * `subscriptionIdleSeconds`. `filters` (checked by the trigger's `parseFilters` first) limit its
   * events to those they pass. Throws the store's `not_found` for an unknown connection (the
   * runtime answers it as a value).
   */
  async subscribe(connectionId: string, triggerId: TriggerId, kind: "library" | "polling" = "library", filters: SubscriptionFilters = {}): Promise<Subscription> {
    const now = new Date(this.now());
    return this.options.store.createSubscription({
      connectionId,
      triggerId,
      cursor: NO_CURSOR,
      nextPollAt: now,
      ...(kind === "polling" ? { kind, lastPolledAt: now } : {}),
      ...(Object.keys(filters).length === 0 ? {} : { filters }),
    });
  }

  /**
   * Whether `subscription` has expired: a `polling` one no flow polled for `subscriptionIdleSeconds`
   * (by this engine's clock). Library and webhook subscriptions never expire.
   */
  isExpired(subscription: Subscription): boolean {
    return subscription.kind === "polling" && (subscription.lastPolledAt?.getTime() ?? 0) < this.idleCutoff().getTime();
  }

  /**
   * Records that a flow polled `subscription` now (a `polling` one; others need no record), at
   * most once a minute, so a poll usually costs no write.
   */
  async recordPolled(subscription: Subscription): Promise<void> {
    if (subscription.kind !== "polling") return;
    const now = this.now();
    const every = Math.min(RECORD_POLL_EVERY_MS, (this.subscriptionIdleSeconds * 1000) / 10);
    if (subscription.lastPolledAt !== null && now - subscription.lastPolledAt.getTime() < every) return;
    await this.options.store.recordSubscriptionPolled(subscription.id, new Date(now));
  }

  /**
   * The active subscriptions of a connection's trigger that have not expired: those a push fans
   * out to, and a scan serves.
   */
  async activeSubscriptions(connectionId: string, triggerId: TriggerId): Promise<Subscription[]> {
    return this.options.store.listSubscriptions({ connectionId, triggerId, state: "active", polledSince: this.idleCutoff() });
  }

  /**
   * Deletes the expired `polling` subscriptions with their outboxes (the retention sweep runs it);
   * returns how many went.
   */
  async expireIdleSubscriptions(): Promise<number> {
    return this.options.store.expireIdlePollingSubscriptions(this.idleCutoff());
  }

  /** A `polling` subscription last polled before this has expired. */
  private idleCutoff(): Date {
    return new Date(this.now() - this.subscriptionIdleSeconds * 1000);
  }

  /**
   * Polls a subscription now, with every active subscription of its connection and trigger: one
   * scan, one unit of budget, each subscription's events and cursor committed together. A stale
   * member (polled meanwhile elsewhere) is left out of the commit by its cursor version. Expected
   * failures (Intercom's, the budget's, an unknown subscription) are values; it throws only for a
   * broken store or this subscription's stored cursor not reading (`InvalidCursorError`: a damaged row).
   */
  async poll(subscriptionId: string, options: PollOptions = {}): Promise<Result<PollReport, ConnectorError>> {
    const subscription = await this.options.store.getSubscription(subscriptionId);
    if (subscription === null) return err(connectorError("not_found", { resource: "subscription", id: subscriptionId }));
    // Nobody is listening: Intercom is not asked on its behalf.
    if (this.isExpired(subscription)) return err(connectorError("subscription_expired", {}));
    // Subscriptions with other filters scan apart: the group is the connection, trigger and filters.
    const key = `${subscription.connectionId}\u0000${subscription.triggerId}\u0000${filtersKey(subscription.filters)}`;
    // A scan of this group already running in this process serves this subscription too: join it.
    let running = this.scans.get(key);
    while (running !== undefined) {
      const joined = (await running).get(subscriptionId);
      if (joined !== undefined) return joined;
      const next = this.scans.get(key);
      if (next === running) break; // ended without this subscription, not yet removed: scan anew
      running = next;
    }
    const scan = this.scanGroup(subscription, options);
    this.scans.set(key, scan);
    try {
      return (await scan).get(subscriptionId) ?? err(connectorError("not_found", { resource: "subscription", id: subscriptionId }));
    } finally {
      if (this.scans.get(key) === scan) this.scans.delete(key);
    }
  }

  /** One scan for `subscription` and the other active subscriptions of its connection and trigger: each one's report. */
  private async scanGroup(subscription: Subscription, options: PollOptions): Promise<Map<string, Result<PollReport, ConnectorError>>> {
    const { store } = this.options;
    const late = this.now() - subscription.nextPollAt.getTime();
    if (late >= 0) this.options.onScan?.(subscription.triggerId, late / 1000);
    // A member whose stored cursor does not read is left out (its own poll reports it), so one
    // damaged row cannot stop the scans of every subscription of its trigger.
    const members: Subscription[] = [];
    const cursors: Array<TriggerCursor | null> = [];
    for (const member of await this.members(subscription)) {
      if (member.cursor === NO_CURSOR) cursors.push(null);
      else {
        try {
          cursors.push(decodeTriggerCursor(member.cursor));
        } catch (error) {
          if (member.id === subscription.id || !(error instanceof InvalidCursorError)) throw error;
          continue;
        }
      }
      members.push(member);
    }
    const reports = new Map<string, Result<PollReport, ConnectorError>>();
    // The interval is reserved for every member at once, before Intercom is asked: a
    // compare-and-set of each one's cursor version that moves only its next poll (the caller's
    // lease checked for its own). A member another poller (another instance) reserved or
    // committed meanwhile is left to it, so instances on one database scan a group once per interval.
    const reservedAt = new Date(this.now() + this.pollIntervalSeconds * 1000);
    const reservations = await store.commitPolls(
      members.map((member) => ({
        subscriptionId: member.id,
        commit: {
          expectedCursorVersion: member.cursorVersion,
          newCursor: member.cursor,
          events: [],
          nextPollAt: reservedAt,
          ...(member.id === subscription.id && options.leaseOwner !== undefined ? { lease: { owner: options.leaseOwner, release: false } } : {}),
        },
      })),
    );
    for (let index = members.length - 1; index >= 0; index--) {
      const reservation = reservations[index];
      const member = members[index];
      if (member === undefined) continue;
      if (reservation?.committed === true) {
        members[index] = { ...member, cursorVersion: reservation.cursorVersion };
        continue;
      }
      if (member.id === subscription.id) {
        reports.set(member.id, ok({ subscriptionId: member.id, emitted: 0, calls: 0, baseline: cursors[index] === null, complete: true, committed: false, shared: 0 }));
      }
      members.splice(index, 1);
      cursors.splice(index, 1);
    }
    if (members.length === 0) return reports;
    const failAll = (error: ConnectorError): Map<string, Result<PollReport, ConnectorError>> => {
      for (const member of members) reports.set(member.id, err(error));
      return reports;
    };
    const trigger = TRIGGERS[subscription.triggerId];
    let scanned: Result<TriggerScan, ConnectorError>;
    let calls: () => number = () => 0;
    if (!trigger.polled) {
      // Push only: nothing to scan, so no Intercom call and no budget; the subscriptions keep
      // their schedule (and a first poll its baseline) while pushes fill their outboxes.
      scanned = ok(pushOnlyScan(cursors, Math.floor(this.now() / 1000)));
    } else {
      const intercom = await this.options.intercomFor(subscription.connectionId);
      if (!intercom.ok) return failAll(intercom.error);
      const counted = countCalls(intercom.value);
      calls = counted.calls;
      scanned = await trigger.scan(
        counted.transport,
        cursors,
        { lookbackSeconds: this.lookbackSeconds, retryWithoutExclusions: (error) => (error as ConnectorError).code === "intercom_rejected" },
        subscription.filters,
      );
    }
    if (!scanned.ok) return failAll(scanned.error);

    const nextPollAt = new Date(this.now() + this.pollIntervalSeconds * 1000);
    const commits: Array<{ subscriptionId: string; commit: PollCommit }> = [];
    const committedMembers: Array<{ id: string; baseline: boolean; complete: boolean }> = [];
    for (const [index, member] of members.entries()) {
      const result = scanned.value.results[index];
      if (result === undefined) continue;
      if (!result.ok) {
        reports.set(member.id, err(result.error));
        continue;
      }
      // Only the subscription asked for carries the caller's lease: the late poll of a lost lease commits nothing.
      const lease = member.id === subscription.id && options.leaseOwner !== undefined ? { lease: { owner: options.leaseOwner, release: true } } : {};
      commits.push({ subscriptionId: member.id, commit: { expectedCursorVersion: member.cursorVersion, newCursor: encodeTriggerCursor(result.cursor), events: result.events, nextPollAt, ...lease } });
      committedMembers.push({ id: member.id, baseline: result.baseline, complete: result.complete });
    }
    const committed = commits.length === 0 ? [] : await store.commitPolls(commits);
    for (const [index, member] of committedMembers.entries()) {
      const result = committed[index];
      const done = result?.committed === true;
      if (done && result.inserted.length > 0) this.wake(member.id);
      reports.set(
        member.id,
        ok({ subscriptionId: member.id, emitted: done ? result.inserted.length : 0, calls: calls(), baseline: member.baseline, complete: member.complete, committed: done, shared: members.length }),
      );
    }
    return reports;
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
   * Stores pushed events in a subscription's outbox (the same dedupe as polls: a pushed event and
   * the poll that sees it again make one delivery) and wakes its in-process consumer. Returns how
   * many were new.
   */
  async append(subscriptionId: string, events: readonly NewEvent[]): Promise<number> {
    const appended = await this.options.store.appendEvents(subscriptionId, events);
    if (appended.inserted.length > 0) this.wake(subscriptionId);
    return appended.inserted.length;
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
   * Runs a subscription until `signal` aborts (or the subscription is deleted): polls when its
   * poll is due (a scan made for another subscription of the same trigger counts, and fills this
   * one's outbox too), and delivers its events as they arrive.
   */
  async run(subscriptionId: string, consume: EventConsumer, options: { signal: AbortSignal; onPoll?: (report: Result<PollReport, ConnectorError>) => void }): Promise<void> {
    const { signal } = options;
    const { store } = this.options;
    // Events a previous run stored but did not hand over go first.
    await this.deliver(subscriptionId, consume);
    while (!signal.aborted) {
      const subscription = await store.getSubscription(subscriptionId);
      if (subscription === null) return;
      // Due: poll (joining a scan of the same trigger already running in this process). Each
      // subscription's next poll moves with every scan that served it, so the others find theirs done.
      let report: Result<PollReport, ConnectorError> | null = null;
      if (subscription.nextPollAt.getTime() <= this.now()) {
        report = await this.poll(subscriptionId);
        options.onPoll?.(report);
      }
      if (signal.aborted) break;
      await this.deliver(subscriptionId, consume);
      const intervalMs = this.pollIntervalSeconds * 1000;
      let waitMs: number;
      if (report !== null && !report.ok) waitMs = report.error.retryAfterSeconds === undefined ? intervalMs : Math.max(report.error.retryAfterSeconds, 1) * 1000;
      else if (report !== null && !report.value.committed) waitMs = intervalMs; // stopped, or another poller's commit won: not before an interval
      else waitMs = Math.min(Math.max(((await store.getSubscription(subscriptionId))?.nextPollAt.getTime() ?? this.now()) - this.now(), 10), intervalMs);
      await this.sleepUnlessWoken(subscriptionId, waitMs, signal);
    }
  }

  /**
   * The subscriptions one scan serves: `subscription` and the other active, unexpired ones of its
   * connection and trigger, but those scanned (or reserved) within the last tenth of an interval: another
   * poller, perhaps another instance, has just served them. Members out of step (a new one, one
   * whose poll failed) are taken in early, so a group falls into one schedule.
   */
  private async members(subscription: Subscription): Promise<Subscription[]> {
    if (subscription.state !== "active") return [subscription];
    const all = await this.activeSubscriptions(subscription.connectionId, subscription.triggerId);
    const horizon = this.now() + this.pollIntervalSeconds * 1000 * 0.9;
    const group = filtersKey(subscription.filters);
    const others = all.filter((m) => m.id !== subscription.id && m.nextPollAt.getTime() < horizon && filtersKey(m.filters) === group);
    return [subscription, ...others];
  }

  private wake(subscriptionId: string): void {
    for (const waiter of this.waiters.get(subscriptionId) ?? []) waiter();
  }

  private sleepUnlessWoken(subscriptionId: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const waiters = this.waiters.get(subscriptionId) ?? new Set<() => void>();
      this.waiters.set(subscriptionId, waiters);
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    }).finally(() => {
      if (this.waiters.get(subscriptionId)?.size === 0) this.waiters.delete(subscriptionId);
    });
  }
}

/**
 * What a "scan" of a push-only trigger comes to: no events (pushes bring them), each cursor kept
 * (a baseline recorded at `nowSeconds`), no Intercom call.
 */
function pushOnlyScan(cursors: ReadonlyArray<TriggerCursor | null>, nowSeconds: number): TriggerScan {
  return {
    results: cursors.map((cursor) => ({ ok: true as const, events: [], cursor: cursor ?? { v: 1 as const, polledAt: nowSeconds, seen: {} }, baseline: cursor === null, complete: true })),
    calls: 0,
    complete: true,
  };
}
