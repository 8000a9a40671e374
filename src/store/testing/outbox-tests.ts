import { describe, expect, it } from "vitest";
import { DEFAULT_DELIVERY_RETRY_POLICY } from "../policies.js";
import type { DeliveryRetryPolicy, RetentionPolicy } from "../records.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

async function newSubscription(store: Store): Promise<string> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  return (await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewUser", cursor: "0", nextPollAt: new Date(START_MS) })).id;
}

async function emit(store: Store, subscriptionId: string, keys: readonly string[]): Promise<number[]> {
  const result = await store.appendEvents(subscriptionId, keys.map((key) => ({ dedupeKey: key, payload: { key } })));
  return result.inserted.map((e) => e.id);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const KEEP_EVERYTHING: RetentionPolicy = { deliveredEventsMs: 365 * DAY, deadEventsMs: 365 * DAY, dedupeKeysMs: 365 * DAY, callLogMs: 365 * DAY };

/**
 * The outbox: order, acknowledgement, failed-delivery bookkeeping, retention.
 *
 * @example
 * outboxTests(makeSqliteFixture);
 */
export function outboxTests(makeStore: MakeStoreFixture): void {
  describe("outbox", () => {
    const setup = useHarness(makeStore);

    it("hands out pending events in id order, at most `limit`, ids growing across subscriptions", async () => {
      const { store } = await setup();
      const one = await newSubscription(store);
      const two = await newSubscription(store);
      const a = await emit(store, one, ["a1", "a2"]);
      const b = await emit(store, two, ["b1"]);
      const c = await emit(store, one, ["a3", "a4"]);
      const all = [...a, ...b, ...c];
      expect(all).toEqual([...all].sort((x, y) => x - y));
      expect(new Set(all).size).toBe(5);
      expect((await store.pendingEvents(one, 10)).map((e) => e.dedupeKey)).toEqual(["a1", "a2", "a3", "a4"]);
      expect((await store.pendingEvents(one, 3)).map((e) => e.dedupeKey)).toEqual(["a1", "a2", "a3"]);
      expect((await store.pendingEvents(two, 10)).map((e) => e.dedupeKey)).toEqual(["b1"]);
      expect((await store.listEvents(one, { afterId: a[1] ?? 0, limit: 10 })).map((e) => e.dedupeKey)).toEqual(["a3", "a4"]);
    });

    it("acknowledges: acked events leave the pending list, once, and only for their subscription", async () => {
      const { store, clock } = await setup();
      const one = await newSubscription(store);
      const two = await newSubscription(store);
      const [a1, a2, a3] = await emit(store, one, ["a1", "a2", "a3"]);
      const [b1] = await emit(store, two, ["b1"]);
      if (a1 === undefined || a2 === undefined || a3 === undefined || b1 === undefined) throw new Error("not inserted");
      clock.advance(5 * SECOND);
      expect(await store.ackEvents(one, [a1, a3, b1])).toBe(2);
      expect(await store.ackEvents(one, [a1, a3])).toBe(0);
      expect(await store.ackEvents(one, [])).toBe(0);
      expect((await store.pendingEvents(one, 10)).map((e) => e.id)).toEqual([a2]);
      expect((await store.pendingEvents(two, 10)).map((e) => e.id)).toEqual([b1]);
      const delivered = await store.listEvents(one, { status: "delivered", limit: 10 });
      expect(delivered.map((e) => [e.id, e.status, e.deliveredAt?.getTime()])).toEqual([
        [a1, "delivered", START_MS + 5 * SECOND],
        [a3, "delivered", START_MS + 5 * SECOND],
      ]);
      expect(await store.outboxStats(one)).toEqual({ pending: 1, delivered: 2, dead: 0 });
      // Across every subscription: a2 and b1 wait.
      expect(await store.outboxTotals()).toEqual({ pending: 2, dead: 0 });
    });

    it("schedules retries with doubling backoff, then dead-letters past the deadline", async () => {
      const { store, clock } = await setup();
      const id = await newSubscription(store);
      const policy: DeliveryRetryPolicy = { firstDelayMs: 10 * SECOND, maxDelayMs: 30 * SECOND, giveUpAfterMs: 2 * MINUTE };
      const [eventId, otherId] = await emit(store, id, ["e", "other"]);
      if (eventId === undefined || otherId === undefined) throw new Error("not inserted");
      const schedule = async (): Promise<Array<[number, number]>> => (await store.pendingEvents(id, 10)).map((e) => [e.id, e.nextAttemptAt.getTime()]);
      expect(await schedule()).toEqual([
        [eventId, START_MS],
        [otherId, START_MS],
      ]);

      expect(await store.recordDeliveryFailure(id, eventId, "HTTP 503", policy)).toEqual({ status: "pending", attempts: 1, nextAttemptAt: new Date(START_MS + 10 * SECOND) });
      // Still pending (a poller may fetch it), just not due for a push before its next attempt.
      expect(await schedule()).toEqual([
        [eventId, START_MS + 10 * SECOND],
        [otherId, START_MS],
      ]);
      clock.advance(10 * SECOND);

      expect(await store.recordDeliveryFailure(id, eventId, "HTTP 502", policy)).toEqual({ status: "pending", attempts: 2, nextAttemptAt: new Date(START_MS + 30 * SECOND) });
      clock.advance(20 * SECOND);
      // 40 s would pass the 30 s cap.
      expect(await store.recordDeliveryFailure(id, eventId, "timeout", policy)).toEqual({ status: "pending", attempts: 3, nextAttemptAt: new Date(START_MS + 60 * SECOND) });
      clock.advance(70 * SECOND);
      // 100 s + 30 s would pass the deadline (creation + 2 min): the last attempt is at the deadline.
      expect(await store.recordDeliveryFailure(id, eventId, "timeout", policy)).toEqual({ status: "pending", attempts: 4, nextAttemptAt: new Date(START_MS + 2 * MINUTE) });
      clock.advance(20 * SECOND);
      expect(await store.recordDeliveryFailure(id, eventId, "HTTP 410", policy)).toEqual({ status: "dead", attempts: 5 });

      const [dead] = await store.listEvents(id, { status: "dead", limit: 10 });
      expect(dead).toMatchObject({ id: eventId, status: "dead", attempts: 5, lastError: "HTTP 410" });
      expect((await store.pendingEvents(id, 10)).map((e) => e.id)).toEqual([otherId]);
      expect(await store.recordDeliveryFailure(id, eventId, "again", policy)).toBeNull();
      expect(await store.ackEvents(id, [eventId])).toBe(0);
      expect(await store.recordDeliveryFailure(id, 999_999, "unknown", policy)).toBeNull();
      expect(await store.outboxStats(id)).toEqual({ pending: 1, delivered: 0, dead: 1 });
      expect(await store.outboxTotals()).toEqual({ pending: 1, dead: 1 });
    });

    it("uses the default retry policy when none is given", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      const [eventId] = await emit(store, id, ["e"]);
      expect(await store.recordDeliveryFailure(id, eventId ?? 0, "HTTP 500")).toEqual({
        status: "pending",
        attempts: 1,
        nextAttemptAt: new Date(START_MS + DEFAULT_DELIVERY_RETRY_POLICY.firstDelayMs),
      });
    });

    it("prunes delivered and dead events by age, never pending ones", async () => {
      const { store, clock } = await setup();
      const id = await newSubscription(store);
      const [oldDelivered, oldPending, oldDead] = await emit(store, id, ["old-delivered", "old-pending", "old-dead"]);
      if (oldDelivered === undefined || oldPending === undefined || oldDead === undefined) throw new Error("not inserted");
      await store.ackEvents(id, [oldDelivered]);
      await store.recordDeliveryFailure(id, oldDead, "gone", { firstDelayMs: 1, maxDelayMs: 1, giveUpAfterMs: 0 });
      clock.advance(2 * DAY);
      const [recentDelivered] = await emit(store, id, ["recent-delivered"]);
      await store.ackEvents(id, [recentDelivered ?? 0]);

      expect(await store.prune(KEEP_EVERYTHING)).toEqual({ deliveredEvents: 0, deadEvents: 0, dedupeKeys: 0, callLog: 0 });
      const report = await store.prune({ ...KEEP_EVERYTHING, deliveredEventsMs: DAY, deadEventsMs: DAY });
      expect(report).toEqual({ deliveredEvents: 1, deadEvents: 1, dedupeKeys: 0, callLog: 0 });
      expect((await store.listEvents(id, { limit: 10 })).map((e) => e.dedupeKey)).toEqual(["old-pending", "recent-delivered"]);
    });

    it("keeps a dead letter replayable for the whole period after it died, however long its retries took", async () => {
      const { store, clock } = await setup();
      const id = await newSubscription(store);
      const retry: DeliveryRetryPolicy = { firstDelayMs: HOUR, maxDelayMs: DAY, giveUpAfterMs: 10 * DAY };
      const policy: RetentionPolicy = { ...KEEP_EVERYTHING, deadEventsMs: 7 * DAY };
      const [eventId] = await emit(store, id, ["e"]);
      if (eventId === undefined) throw new Error("not inserted");
      clock.advance(10 * DAY);
      expect(await store.recordDeliveryFailure(id, eventId, "HTTP 410", retry)).toEqual({ status: "dead", attempts: 1 });
      const [dead] = await store.listEvents(id, { status: "dead", limit: 1 });
      expect(dead?.nextAttemptAt).toEqual(new Date(START_MS + 10 * DAY));

      // Created 17 days ago, dead for 7 days less a millisecond: still there to replay.
      clock.advance(7 * DAY - 1);
      expect((await store.prune(policy)).deadEvents).toBe(0);
      expect(await store.redriveEvent(id, eventId)).toMatchObject({ status: "pending" });
      // Replayed, it dies again past its new deadline, and its period starts over.
      clock.advance(10 * DAY);
      expect(await store.recordDeliveryFailure(id, eventId, "HTTP 410", retry)).toEqual({ status: "dead", attempts: 1 });
      clock.advance(7 * DAY - 1);
      expect((await store.prune(policy)).deadEvents).toBe(0);
      clock.advance(1);
      expect((await store.prune(policy)).deadEvents).toBe(1);
      expect(await store.redriveEvent(id, eventId)).toBeNull();
    });

    it("keeps dedupe keys for their own window after the events are pruned, then forgets them", async () => {
      const { store, clock } = await setup();
      const id = await newSubscription(store);
      const [a] = await emit(store, id, ["a"]);
      await emit(store, id, ["kept-pending"]);
      await store.ackEvents(id, [a ?? 0]);
      const policy: RetentionPolicy = { ...KEEP_EVERYTHING, deliveredEventsMs: 0, dedupeKeysMs: 7 * DAY };

      clock.advance(1);
      expect((await store.prune(policy)).deliveredEvents).toBe(1);
      expect(await store.listEvents(id, { status: "delivered", limit: 10 })).toEqual([]);
      // The event is gone from the outbox, its key is not: a look-back poll cannot emit it again.
      expect(await store.appendEvents(id, [{ dedupeKey: "a", payload: 1 }])).toEqual({ inserted: [], duplicates: ["a"] });

      clock.advance(7 * DAY);
      // Nothing newer from this subscription: its newest keys are what its next look-back may
      // see again (a stopped subscription's, however late it resumes), so they stay.
      expect((await store.prune(policy)).dedupeKeys).toBe(0);
      expect(await store.appendEvents(id, [{ dedupeKey: "a", payload: 1 }])).toEqual({ inserted: [], duplicates: ["a"] });
      clock.advance(1);
      await emit(store, id, ["b"]);
      expect((await store.prune(policy)).dedupeKeys).toBe(1);
      // "kept-pending" is older than the window but still in the outbox: its key stays.
      expect(await store.appendEvents(id, [{ dedupeKey: "kept-pending", payload: 2 }])).toEqual({ inserted: [], duplicates: ["kept-pending"] });
      expect(await store.appendEvents(id, [{ dedupeKey: "a", payload: 3 }])).toMatchObject({ inserted: [{ dedupeKey: "a" }], duplicates: [] });
    });

    it("keeps each subscription's keys for the period before its own newest key, however old they are", async () => {
      const { store, clock } = await setup();
      const quiet = await newSubscription(store);
      const busy = await newSubscription(store);
      const policy: RetentionPolicy = { ...KEEP_EVERYTHING, deliveredEventsMs: 0, dedupeKeysMs: DAY };
      const emitAcked = async (subscriptionId: string, key: string): Promise<void> => {
        await store.ackEvents(subscriptionId, await emit(store, subscriptionId, [key]));
      };
      // quiet: q-old, then q-last 2 days later, then nothing (stopped) for 30 days.
      await emitAcked(quiet, "q-old");
      await emitAcked(busy, "b-old");
      clock.advance(2 * DAY);
      await emitAcked(quiet, "q-last");
      await store.setSubscriptionState(quiet, "stopped");
      for (let day = 0; day < 30; day++) {
        clock.advance(DAY);
        await emitAcked(busy, `b-${day}`);
        await store.prune(policy);
      }
      const fresh = async (subscriptionId: string, key: string): Promise<boolean> =>
        (await store.appendEvents(subscriptionId, [{ dedupeKey: key, payload: 0 }])).inserted.length === 1;
      // busy keeps a day of keys; quiet keeps the day before its last one: q-last only.
      expect(await fresh(busy, "b-28")).toBe(true);
      expect(await fresh(busy, "b-29")).toBe(false);
      expect(await fresh(busy, "b-old")).toBe(true);
      await store.setSubscriptionState(quiet, "active");
      expect(await fresh(quiet, "q-last")).toBe(false);
      expect(await fresh(quiet, "q-old")).toBe(true);
    });

    it("never reuses an id, even after the newest events were pruned", async () => {
      const { store, clock } = await setup();
      const id = await newSubscription(store);
      const [first] = await emit(store, id, ["x"]);
      await store.ackEvents(id, [first ?? 0]);
      clock.advance(1);
      await store.prune({ ...KEEP_EVERYTHING, deliveredEventsMs: 0, dedupeKeysMs: 0 });
      expect(await store.listEvents(id, { limit: 10 })).toEqual([]);
      const [second] = await emit(store, id, ["y"]);
      expect(second).toBeGreaterThan(first ?? Infinity);
    });

    it("stores settings", async () => {
      const { store } = await setup();
      expect(await store.getSetting("k")).toBeNull();
      await store.setSetting("k", "v1");
      await store.setSetting("k", "v2");
      expect(await store.getSetting("k")).toBe("v2");
      expect(await store.deleteSetting("k")).toBe(true);
      expect(await store.deleteSetting("k")).toBe(false);
      expect(await store.getSetting("k")).toBeNull();
    });

    it("claims a setting once: the first value stays, every caller learns it", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).claimSetting("default", `value-${i}`)));
      const winner = await store.getSetting("default");
      expect(winner).toMatch(/^value-\d$/);
      expect(claims).toEqual(Array.from({ length: 10 }, () => winner));
      expect(await other.claimSetting("default", "late")).toBe(winner);
      await store.setSetting("default", "changed");
      expect(await store.claimSetting("default", "again")).toBe("changed");
    });
  });
}
