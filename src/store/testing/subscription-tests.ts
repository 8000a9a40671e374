import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

async function newConnectionId(store: Store, name = "Acme"): Promise<string> {
  return (await store.createConnection({ name, region: "us", accessToken: "t" })).connection.id;
}

/**
 * Trigger subscriptions: creation, listing, state, deletion (poll leases: webhook-tests).
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
        kind: "library",
        lastPolledAt: null,
        createdAt: new Date(START_MS),
        filters: {},
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

    it("keeps a subscription's filters (migration 7), the same read back by get, list and a claim; refuses malformed ones", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const now = new Date(START_MS);
      const filtered = await store.createSubscription({ connectionId, triggerId: "TrigNewTicket", cursor: "null", nextPollAt: now, filters: { ticket_type_id: "7", a_first: "x" } });
      expect(filtered.filters).toEqual({ a_first: "x", ticket_type_id: "7" });
      // Stored canonical (names sorted), so equal filters are equal text whatever their order.
      expect(Object.keys(filtered.filters)).toEqual(["a_first", "ticket_type_id"]);
      const plain = await store.createSubscription({ connectionId, triggerId: "TrigNewTicket", cursor: "null", nextPollAt: now });
      expect((await store.getSubscription(filtered.id))?.filters).toEqual({ a_first: "x", ticket_type_id: "7" });
      // Made in the same millisecond: listed in id order, so compared by id.
      const listed = new Map((await store.listSubscriptions({ triggerId: "TrigNewTicket" })).map((s) => [s.id, s.filters]));
      expect(Object.fromEntries(listed)).toEqual({ [filtered.id]: { a_first: "x", ticket_type_id: "7" }, [plain.id]: {} });
      expect((await store.setSubscriptionState(plain.id, "stopped"))?.filters).toEqual({});
      await store.createWebhook({ subscriptionId: filtered.id, callbackUrl: "https://example.com/hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
      expect((await store.claimDueWebhookPolls("instance-a", { limit: 5, leaseMs: 60_000 })).map((s) => [s.id, s.filters])).toEqual([[filtered.id, { a_first: "x", ticket_type_id: "7" }]]);
      for (const filters of [{ "": "1" }, { ticket_type_id: "" }, { ticket_type_id: 7 }, ["7"], Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, "1"]))]) {
        const refused: unknown = await store
          .createSubscription({ connectionId, triggerId: "TrigNewTicket", cursor: "null", nextPollAt: now, filters: filters as Record<string, string> })
          .catch((e: unknown) => e);
        expect(isStoreError(refused, "invalid_argument"), JSON.stringify(filters)).toBe(true);
      }
      expect(await store.listSubscriptions({ triggerId: "TrigNewTicket" })).toHaveLength(2);
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

    it("stops and resumes; a stopped subscription is not committed to", async () => {
      const { store } = await setup();
      const sub = await store.createSubscription({ connectionId: await newConnectionId(store), triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS) });
      expect((await store.setSubscriptionState(sub.id, "stopped"))?.state).toBe("stopped");
      const refused = await store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "1", events: [{ dedupeKey: "k", payload: {} }] });
      expect(refused).toEqual({ committed: false, reason: "not_active", currentCursorVersion: 0 });
      expect(await store.outboxStats(sub.id)).toEqual({ pending: 0, delivered: 0, dead: 0 });
      expect((await store.setSubscriptionState(sub.id, "active"))?.state).toBe("active");
      expect(await store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "1", events: [{ dedupeKey: "k", payload: {} }] })).toMatchObject({ committed: true });
      expect(await store.setSubscriptionState("missing", "active")).toBeNull();
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
