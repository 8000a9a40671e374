import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

async function newConnectionId(store: Store, name = "Acme"): Promise<string> {
  return (await store.createConnection({ name, region: "us", accessToken: "t" })).connection.id;
}

/**
 * Trigger subscriptions: creation, listing, state, due-poll leases.
 *
 * @example
 * subscriptionTests(makeSqliteFixture);
 */
export function subscriptionTests(makeStore: MakeStoreFixture): void {
  describe("trigger subscriptions", () => {
    const setup = useHarness(makeStore);

    it("creates an active subscription at cursor version 0 and reads it back", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const cursor = JSON.stringify({ since: 1_700_000_000, ids: ["a"] });
      const sub = await store.createSubscription({ connectionId, triggerId: "TrigUpdateUser", cursor, nextPollAt: new Date(START_MS + 5) });
      expect(sub).toEqual({
        id: expect.any(String) as string,
        connectionId,
        triggerId: "TrigUpdateUser",
        cursor,
        cursorVersion: 0,
        nextPollAt: new Date(START_MS + 5),
        leaseOwner: null,
        leaseUntil: null,
        state: "active",
        createdAt: new Date(START_MS),
      });
      expect(await store.getSubscription(sub.id)).toEqual(sub);
      expect(await store.getSubscription("missing")).toBeNull();
    });

    it("refuses an unknown connection, trigger or a cursor that is not JSON", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const now = new Date(START_MS);
      const unknownConnection: unknown = await store
        .createSubscription({ connectionId: "missing", triggerId: "TrigNewLead", cursor: "{}", nextPollAt: now })
        .catch((e: unknown) => e);
      expect(isStoreError(unknownConnection, "not_found")).toBe(true);
      const badTrigger: unknown = await store
        .createSubscription({ connectionId, triggerId: "TrigNope" as "TrigNewLead", cursor: "{}", nextPollAt: now })
        .catch((e: unknown) => e);
      expect(isStoreError(badTrigger, "invalid_argument")).toBe(true);
      const badCursor: unknown = await store.createSubscription({ connectionId, triggerId: "TrigNewLead", cursor: "{not json", nextPollAt: now }).catch((e: unknown) => e);
      expect(isStoreError(badCursor, "invalid_argument")).toBe(true);
      expect(await store.listSubscriptions()).toEqual([]);
    });

    it("lists by connection, trigger and state, in creation order", async () => {
      const { store, clock } = await setup();
      const a = await newConnectionId(store, "A");
      const b = await newConnectionId(store, "B");
      const now = new Date(START_MS);
      const s1 = await store.createSubscription({ connectionId: a, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: now });
      clock.advance(1);
      const s2 = await store.createSubscription({ connectionId: a, triggerId: "TrigNewUser", cursor: "{}", nextPollAt: now });
      clock.advance(1);
      const s3 = await store.createSubscription({ connectionId: b, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: now });
      await store.setSubscriptionState(s2.id, "stopped");
      const ids = async (filter?: Parameters<Store["listSubscriptions"]>[0]): Promise<string[]> => (await store.listSubscriptions(filter)).map((s) => s.id);
      expect(await ids()).toEqual([s1.id, s2.id, s3.id]);
      expect(await ids({ connectionId: a })).toEqual([s1.id, s2.id]);
      expect(await ids({ triggerId: "TrigNewLead" })).toEqual([s1.id, s3.id]);
      expect(await ids({ state: "active" })).toEqual([s1.id, s3.id]);
      expect(await ids({ connectionId: a, state: "stopped" })).toEqual([s2.id]);
      expect(await ids({ connectionId: "missing" })).toEqual([]);
    });

    it("stops and resumes; a stopped subscription is neither claimed nor committed to", async () => {
      const { store } = await setup();
      const sub = await store.createSubscription({ connectionId: await newConnectionId(store), triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS) });
      expect((await store.setSubscriptionState(sub.id, "stopped"))?.state).toBe("stopped");
      expect(await store.claimDueSubscriptions("w1", { limit: 10, leaseMs: 1000 })).toEqual([]);
      const refused = await store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "1", events: [{ dedupeKey: "k", payload: {} }] });
      expect(refused).toEqual({ committed: false, reason: "not_active", currentCursorVersion: 0 });
      expect(await store.outboxStats(sub.id)).toEqual({ pending: 0, delivered: 0, dead: 0 });
      expect((await store.setSubscriptionState(sub.id, "active"))?.state).toBe("active");
      expect((await store.claimDueSubscriptions("w1", { limit: 10, leaseMs: 1000 })).map((s) => s.id)).toEqual([sub.id]);
      expect(await store.setSubscriptionState("missing", "active")).toBeNull();
    });

    it("leases due subscriptions to one owner at a time, until the lease expires or is released", async () => {
      const { store, clock, openAnother } = await setup();
      const other = await openAnother();
      const connectionId = await newConnectionId(store);
      const make = (dueInMs: number) =>
        store.createSubscription({ connectionId, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS + dueInMs) });
      const overdue = await make(-10_000);
      const due = await make(0);
      const later = await make(60_000);

      const claimed = await store.claimDueSubscriptions("w1", { limit: 10, leaseMs: 30_000 });
      expect(claimed.map((s) => s.id)).toEqual([overdue.id, due.id]);
      expect(claimed.every((s) => s.leaseOwner === "w1" && s.leaseUntil?.getTime() === START_MS + 30_000)).toBe(true);
      expect(await other.claimDueSubscriptions("w2", { limit: 10, leaseMs: 30_000 })).toEqual([]);

      expect(await other.releaseSubscription(due.id, "w2", new Date(START_MS))).toBe(false);
      expect(await store.releaseSubscription(due.id, "w1", new Date(START_MS + 120_000))).toBe(true);
      expect(await store.getSubscription(due.id)).toMatchObject({ leaseOwner: null, leaseUntil: null, nextPollAt: new Date(START_MS + 120_000) });

      clock.advance(30_000);
      // w1's lease on `overdue` expired; `later` is not due yet; `due` was rescheduled.
      expect((await other.claimDueSubscriptions("w2", { limit: 10, leaseMs: 30_000 })).map((s) => s.id)).toEqual([overdue.id]);
      clock.advance(30_000);
      expect((await other.claimDueSubscriptions("w2", { limit: 1, leaseMs: 30_000 })).map((s) => s.id)).toEqual([overdue.id]);
      expect((await store.claimDueSubscriptions("w1", { limit: 5, leaseMs: 30_000 })).map((s) => s.id)).toEqual([later.id]);
    });

    it("deletes a subscription with its outbox", async () => {
      const { store } = await setup();
      const sub = await store.createSubscription({ connectionId: await newConnectionId(store), triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS) });
      await store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "{}", events: [{ dedupeKey: "k", payload: 1 }] });
      expect(await store.deleteSubscription(sub.id)).toBe(true);
      expect(await store.deleteSubscription(sub.id)).toBe(false);
      expect(await store.getSubscription(sub.id)).toBeNull();
      expect(await store.outboxStats(sub.id)).toEqual({ pending: 0, delivered: 0, dead: 0 });
    });
  });
}
