import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

async function subscriptionWithEvents(store: Store, keys: readonly string[]): Promise<{ subscriptionId: string; ids: number[] }> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  const subscriptionId = (await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(START_MS) })).id;
  const appended = await store.appendEvents(subscriptionId, keys.map((key) => ({ dedupeKey: key, payload: { key } })));
  return { subscriptionId, ids: appended.inserted.map((e) => e.id) };
}

/**
 * Webhook delivery attempts: recorded per event with time, status code, latency and error, listed
 * per subscription in order, gone with their event.
 *
 * @example
 * attemptTests(makeSqliteFixture);
 */
export function attemptTests(makeStore: MakeStoreFixture): void {
  describe("delivery attempts", () => {
    const setup = useHarness(makeStore);

    it("records each attempt and lists a subscription's in order, one event's on demand, paged", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const { subscriptionId, ids } = await subscriptionWithEvents(store, ["a", "b"]);
      const [a, b] = ids;
      if (a === undefined || b === undefined) throw new Error("not inserted");
      const at = (ms: number): Date => new Date(START_MS + ms);
      expect(await store.recordDeliveryAttempt({ subscriptionId, eventId: a, attemptedAt: at(0), statusCode: 500, latencyMs: 12.6, error: "HTTP 500" })).toBe(true);
      expect(await other.recordDeliveryAttempt({ subscriptionId, eventId: a, attemptedAt: at(100), statusCode: null, latencyMs: 10_000, error: "no answer within 10000 ms" })).toBe(true);
      expect(await store.recordDeliveryAttempt({ subscriptionId, eventId: b, attemptedAt: at(200), statusCode: 204, latencyMs: 3, error: null })).toBe(true);
      const all = await other.listDeliveryAttempts(subscriptionId, { limit: 10 });
      expect(all.map(({ id: _id, ...rest }) => rest)).toEqual([
        { subscriptionId, eventId: a, attemptedAt: at(0), statusCode: 500, latencyMs: 13, error: "HTTP 500" },
        { subscriptionId, eventId: a, attemptedAt: at(100), statusCode: null, latencyMs: 10_000, error: "no answer within 10000 ms" },
        { subscriptionId, eventId: b, attemptedAt: at(200), statusCode: 204, latencyMs: 3, error: null },
      ]);
      expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((x, y) => x - y));
      expect((await store.listDeliveryAttempts(subscriptionId, { eventId: a, limit: 10 })).map((x) => x.statusCode)).toEqual([500, null]);
      expect((await store.listDeliveryAttempts(subscriptionId, { afterId: all[0]?.id ?? 0, limit: 1 })).map((x) => x.eventId)).toEqual([a]);
      const limit: unknown = await store.listDeliveryAttempts(subscriptionId, { limit: 0 }).catch((e: unknown) => e);
      expect(isStoreError(limit, "invalid_argument")).toBe(true);
    });

    it("records nothing for an event of another subscription or none, and forgets attempts with their event", async () => {
      const { store, clock } = await setup();
      const one = await subscriptionWithEvents(store, ["a"]);
      const two = await subscriptionWithEvents(store, ["b"]);
      const [a] = one.ids;
      const [b] = two.ids;
      if (a === undefined || b === undefined) throw new Error("not inserted");
      const attempt = { attemptedAt: new Date(START_MS), statusCode: 500, latencyMs: 1, error: "HTTP 500" };
      expect(await store.recordDeliveryAttempt({ ...attempt, subscriptionId: one.subscriptionId, eventId: b })).toBe(false);
      expect(await store.recordDeliveryAttempt({ ...attempt, subscriptionId: one.subscriptionId, eventId: 999_999 })).toBe(false);
      expect(await store.listDeliveryAttempts(one.subscriptionId, { limit: 10 })).toEqual([]);
      await store.recordDeliveryAttempt({ ...attempt, subscriptionId: one.subscriptionId, eventId: a });
      await store.recordDeliveryAttempt({ ...attempt, subscriptionId: two.subscriptionId, eventId: b, statusCode: 200, error: null });
      // Delivered, then pruned: the attempts go with the event; a deleted subscription takes its own.
      await store.ackEvents(two.subscriptionId, [b]);
      clock.advance(2_000);
      await store.prune({ deliveredEventsMs: 1_000, deadEventsMs: 1e12, dedupeKeysMs: 1e12, callLogMs: 1e12 });
      expect(await store.listDeliveryAttempts(two.subscriptionId, { limit: 10 })).toEqual([]);
      expect(await store.listDeliveryAttempts(one.subscriptionId, { limit: 10 })).toHaveLength(1);
      await store.deleteSubscription(one.subscriptionId);
      expect(await store.listDeliveryAttempts(one.subscriptionId, { limit: 10 })).toEqual([]);
    });
  });
}
