import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

async function newSubscription(store: Store): Promise<string> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  return (await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: '{"n":0}', nextPollAt: new Date(START_MS) })).id;
}

const event = (key: string, payload: unknown = { id: key }) => ({ dedupeKey: key, payload });

/**
 * The emit step: events and cursor in one transaction, stale polls refused, keys deduplicated.
 *
 * @example
 * commitPollTests(makeSqliteFixture);
 */
export function commitPollTests(makeStore: MakeStoreFixture): void {
  describe("commitPoll", () => {
    const setup = useHarness(makeStore);

    it("inserts the events and advances the cursor together", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      const result = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":2}', events: [event("a", { id: "a", n: 1 }), event("b")] });
      expect(result).toEqual({
        committed: true,
        cursorVersion: 1,
        inserted: [
          { id: expect.any(Number) as number, dedupeKey: "a" },
          { id: expect.any(Number) as number, dedupeKey: "b" },
        ],
        duplicates: [],
      });
      if (!result.committed) return;
      const [first, second] = result.inserted;
      expect(first !== undefined && second !== undefined && first.id < second.id).toBe(true);
      expect(await store.getSubscription(id)).toMatchObject({ cursor: '{"n":2}', cursorVersion: 1 });
      const pending = await store.pendingEvents(id, 10);
      expect(pending).toEqual([
        {
          id: first?.id,
          subscriptionId: id,
          dedupeKey: "a",
          payload: { id: "a", n: 1 },
          status: "pending",
          attempts: 0,
          nextAttemptAt: new Date(START_MS),
          lastError: null,
          createdAt: new Date(START_MS),
          deliveredAt: null,
        },
        expect.objectContaining({ id: second?.id, dedupeKey: "b", payload: { id: "b" } }),
      ]);
    });

    it("commits an empty poll (the cursor still moves)", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      expect(await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":9}', events: [] })).toEqual({ committed: true, cursorVersion: 1, inserted: [], duplicates: [] });
      expect(await store.getSubscription(id)).toMatchObject({ cursor: '{"n":9}', cursorVersion: 1 });
    });

    it("refuses a poll started from a stale cursor version, writing nothing", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("a")] });
      const stale = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":5}', events: [event("x"), event("y")] });
      expect(stale).toEqual({ committed: false, reason: "version_conflict", currentCursorVersion: 1 });
      expect(await store.getSubscription(id)).toMatchObject({ cursor: '{"n":1}', cursorVersion: 1 });
      expect((await store.listEvents(id, { limit: 10 })).map((e) => e.dedupeKey)).toEqual(["a"]);
      // The refused keys were not remembered either: a correct poll may emit them.
      const retry = await store.commitPoll(id, { expectedCursorVersion: 1, newCursor: '{"n":5}', events: [event("x"), event("y")] });
      expect(retry.committed && retry.inserted.map((e) => e.dedupeKey)).toEqual(["x", "y"]);
    });

    it("skips keys emitted before (by an earlier poll or earlier in the same batch) and still moves the cursor", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":2}', events: [event("a"), event("b")] });
      const second = await store.commitPoll(id, { expectedCursorVersion: 1, newCursor: '{"n":4}', events: [event("b"), event("c"), event("c", "again"), event("a")] });
      expect(second.committed).toBe(true);
      if (!second.committed) return;
      expect(second.inserted.map((e) => e.dedupeKey)).toEqual(["c"]);
      expect(second.duplicates).toEqual(["b", "c", "a"]);
      expect(second.cursorVersion).toBe(2);
      const events = await store.listEvents(id, { limit: 10 });
      expect(events.map((e) => [e.dedupeKey, e.payload])).toEqual([
        ["a", { id: "a" }],
        ["b", { id: "b" }],
        ["c", { id: "c" }],
      ]);
    });

    it("keeps dedupe keys after delivery: an acknowledged event is not emitted again", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      const first = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("a")] });
      await store.ackEvents(id, first.committed ? first.inserted.map((e) => e.id) : []);
      const again = await store.commitPoll(id, { expectedCursorVersion: 1, newCursor: "2", events: [event("a")] });
      expect(again).toMatchObject({ committed: true, inserted: [], duplicates: ["a"] });
      expect(await store.pendingEvents(id, 10)).toEqual([]);
    });

    it("dedupes per subscription: the same key in two subscriptions is two events", async () => {
      const { store } = await setup();
      const one = await newSubscription(store);
      const two = await newSubscription(store);
      await store.commitPoll(one, { expectedCursorVersion: 0, newCursor: "1", events: [event("a")] });
      const other = await store.commitPoll(two, { expectedCursorVersion: 0, newCursor: "1", events: [event("a")] });
      expect(other).toMatchObject({ committed: true, inserted: [{ dedupeKey: "a" }], duplicates: [] });
    });

    it("shares dedupe keys with appendEvents (pushed webhooks), both ways", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      expect(await store.appendEvents(id, [event("pushed")])).toMatchObject({ inserted: [{ dedupeKey: "pushed" }], duplicates: [] });
      const poll = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("pushed"), event("polled")] });
      expect(poll).toMatchObject({ committed: true, inserted: [{ dedupeKey: "polled" }], duplicates: ["pushed"], cursorVersion: 1 });
      expect(await store.appendEvents(id, [event("polled")])).toEqual({ inserted: [], duplicates: ["polled"] });
      expect(await store.getSubscription(id)).toMatchObject({ cursorVersion: 1 });
      const missing: unknown = await store.appendEvents("missing", [event("x")]).catch((e: unknown) => e);
      expect(isStoreError(missing, "not_found")).toBe(true);
    });

    it("checks the lease when one is given, and releases it on request", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      // Poll leases are taken on webhooks (claimDueWebhookPolls).
      await store.createWebhook({ subscriptionId: id, callbackUrl: "https://example.com/hook", secret: "s" });
      expect((await store.claimDueWebhookPolls("w1", { limit: 1, leaseMs: 60_000 })).map((s) => s.id)).toEqual([id]);
      const lost = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("a")], lease: { owner: "w2", release: true } });
      expect(lost).toEqual({ committed: false, reason: "lease_lost", currentCursorVersion: 0 });
      expect(await store.outboxStats(id)).toEqual({ pending: 0, delivered: 0, dead: 0 });

      const kept = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("a")], lease: { owner: "w1", release: false } });
      expect(kept.committed).toBe(true);
      expect(await store.getSubscription(id)).toMatchObject({ leaseOwner: "w1", nextPollAt: new Date(START_MS) });

      const nextPollAt = new Date(START_MS + 120_000);
      const released = await store.commitPoll(id, { expectedCursorVersion: 1, newCursor: "2", events: [], lease: { owner: "w1", release: true }, nextPollAt });
      expect(released.committed).toBe(true);
      expect(await store.getSubscription(id)).toMatchObject({ leaseOwner: null, leaseUntil: null, nextPollAt, cursor: "2", cursorVersion: 2 });
    });

    it("reports an unknown subscription as not_found", async () => {
      const { store } = await setup();
      expect(await store.commitPoll("missing", { expectedCursorVersion: 0, newCursor: "1", events: [] })).toEqual({
        committed: false,
        reason: "not_found",
        currentCursorVersion: null,
      });
    });

    it("writes nothing when the commit fails part-way (events or cursor)", async () => {
      const { store } = await setup();
      const id = await newSubscription(store);
      let serialised = 0;
      // Serialises like any value the first two times, then throws: wherever an implementation
      // serialises (before or inside its transaction), the earlier events must not remain.
      const explosive = {
        toJSON(): unknown {
          serialised++;
          if (serialised > 2) throw new Error("boom");
          return { ok: serialised };
        },
      };
      const events = [event("a", explosive), event("b", explosive), event("c", explosive)];
      await expect(store.commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":3}', events })).rejects.toThrow("boom");
      const invalid: unknown = await store
        .commitPoll(id, { expectedCursorVersion: 0, newCursor: '{"n":3}', events: [event("a"), { dedupeKey: "", payload: 1 }] })
        .catch((e: unknown) => e);
      expect(isStoreError(invalid, "invalid_argument")).toBe(true);
      const badCursor: unknown = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "{oops", events: [event("a")] }).catch((e: unknown) => e);
      expect(isStoreError(badCursor, "invalid_argument")).toBe(true);
      const unserialisable: unknown = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("a"), { dedupeKey: "u", payload: undefined }] }).catch((e: unknown) => e);
      expect(isStoreError(unserialisable, "invalid_argument")).toBe(true);

      expect(await store.getSubscription(id)).toMatchObject({ cursor: '{"n":0}', cursorVersion: 0 });
      expect(await store.listEvents(id, { limit: 10 })).toEqual([]);
      // None of those keys was remembered.
      const clean = await store.commitPoll(id, { expectedCursorVersion: 0, newCursor: "1", events: [event("a"), event("b"), event("c")] });
      expect(clean).toMatchObject({ committed: true, duplicates: [] });
    });
  });
}
