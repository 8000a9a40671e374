import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { CommitPollResult, SubscriptionPollCommit } from "../records.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";
import { allEvents, expectConsistentHistory } from "./history.js";
import { cursorPosition, simulatePoll } from "./simulated-source.js";

const event = (key: string, payload: unknown = { id: key }) => ({ dedupeKey: key, payload });

async function newSubscriptions(store: Store, count: number): Promise<string[]> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: JSON.stringify({ n: 0 }), nextPollAt: new Date(START_MS) })).id);
  }
  return ids;
}

async function keys(store: Store, subscriptionId: string): Promise<string[]> {
  return (await allEvents(store, subscriptionId)).map((e) => e.dedupeKey);
}

const insertedKeys = (result: CommitPollResult | undefined): string[] | false => result?.committed === true && result.inserted.map((e) => e.dedupeKey);

/** The batch a shared scan commits: every subscription read now, polled on the simulated source. */
async function scanBatch(store: Store, ids: readonly string[], options: { batch: number; overlap: number }): Promise<SubscriptionPollCommit[]> {
  const commits: SubscriptionPollCommit[] = [];
  for (const id of ids) {
    const subscription = await store.getSubscription(id);
    if (subscription === null) throw new Error("subscription missing");
    const poll = simulatePoll(subscription.cursor, options);
    commits.push({ subscriptionId: id, commit: { expectedCursorVersion: subscription.cursorVersion, newCursor: poll.newCursor, events: poll.events } });
  }
  return commits;
}

/**
 * `commitPolls`, a shared scan's commit: all commits of a batch in one transaction, each checked
 * on its own, results in input order, dedupe per subscription, concurrent batches over
 * overlapping subscriptions (in opposite orders) neither deadlocking nor committing a cursor
 * version twice. The SIGKILL case is in crash-tests.
 *
 * @example
 * commitPollsTests(makeSqliteFixture);
 */
export function commitPollsTests(makeStore: MakeStoreFixture): void {
  describe("commitPolls", () => {
    const setup = useHarness(makeStore);

    it("commits every poll of the batch, answering in input order", async () => {
      const { store } = await setup();
      const [a, b, c] = await newSubscriptions(store, 3);
      if (a === undefined || b === undefined || c === undefined) throw new Error("not created");
      expect(await store.commitPolls([])).toEqual([]);
      const nextPollAt = new Date(START_MS + 60_000);
      const results = await store.commitPolls([
        { subscriptionId: c, commit: { expectedCursorVersion: 0, newCursor: '{"n":3}', events: [event("c1"), event("c2")], nextPollAt } },
        { subscriptionId: a, commit: { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("a1")], nextPollAt } },
        { subscriptionId: b, commit: { expectedCursorVersion: 0, newCursor: '{"n":2}', events: [], nextPollAt } },
      ]);
      expect(results).toEqual([
        { committed: true, cursorVersion: 1, inserted: [expect.objectContaining({ dedupeKey: "c1" }), expect.objectContaining({ dedupeKey: "c2" })], duplicates: [] },
        { committed: true, cursorVersion: 1, inserted: [expect.objectContaining({ dedupeKey: "a1" })], duplicates: [] },
        { committed: true, cursorVersion: 1, inserted: [], duplicates: [] },
      ]);
      expect(await store.getSubscription(a)).toMatchObject({ cursor: '{"n":1}', cursorVersion: 1, nextPollAt });
      expect(await store.getSubscription(b)).toMatchObject({ cursor: '{"n":2}', cursorVersion: 1, nextPollAt });
      expect(await store.getSubscription(c)).toMatchObject({ cursor: '{"n":3}', cursorVersion: 1, nextPollAt });
      expect(await keys(store, c)).toEqual(["c1", "c2"]);
      expect(await keys(store, a)).toEqual(["a1"]);
      const ids = results.flatMap((r) => (r.committed ? r.inserted.map((e) => e.id) : []));
      // Ids follow the commits' order, across subscriptions too.
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });

    it("checks each commit on its own: a refused one writes nothing and stops none of the others", async () => {
      const { store } = await setup();
      const [first, stale, stopped, leased, last] = await newSubscriptions(store, 5);
      if (first === undefined || stale === undefined || stopped === undefined || leased === undefined || last === undefined) throw new Error("not created");
      await store.commitPoll(stale, { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("old")] });
      await store.setSubscriptionState(stopped, "stopped");
      await store.createWebhook({ subscriptionId: leased, callbackUrl: "https://example.com/hook", secret: "s" });
      expect((await store.claimDueWebhookPolls("w1", { limit: 1, leaseMs: 60_000 })).map((s) => s.id)).toEqual([leased]);

      const commit = (expectedCursorVersion: number, keysToEmit: string[], extra: Partial<SubscriptionPollCommit["commit"]> = {}) => ({
        expectedCursorVersion,
        newCursor: '{"n":9}',
        events: keysToEmit.map((key) => event(key)),
        ...extra,
      });
      const results = await store.commitPolls([
        { subscriptionId: first, commit: commit(0, ["shared", "f1"]) },
        { subscriptionId: stale, commit: commit(0, ["shared", "s1"]) },
        { subscriptionId: stopped, commit: commit(0, ["shared", "x1"]) },
        { subscriptionId: leased, commit: commit(0, ["shared", "l1"], { lease: { owner: "w2", release: true } }) },
        { subscriptionId: "missing", commit: commit(0, ["shared"]) },
        { subscriptionId: last, commit: commit(0, ["shared", "z1"]) },
      ]);
      expect(results).toEqual([
        expect.objectContaining({ committed: true, cursorVersion: 1 }),
        { committed: false, reason: "version_conflict", currentCursorVersion: 1 },
        { committed: false, reason: "not_active", currentCursorVersion: 0 },
        { committed: false, reason: "lease_lost", currentCursorVersion: 0 },
        { committed: false, reason: "not_found", currentCursorVersion: null },
        expect.objectContaining({ committed: true, cursorVersion: 1 }),
      ]);
      expect(insertedKeys(results[0])).toEqual(["shared", "f1"]);
      expect(insertedKeys(results[5])).toEqual(["shared", "z1"]);
      expect(await keys(store, stale)).toEqual(["old"]);
      expect(await store.getSubscription(stale)).toMatchObject({ cursor: '{"n":1}', cursorVersion: 1 });
      for (const refused of [stopped, leased]) {
        expect(await keys(store, refused)).toEqual([]);
        expect(await store.getSubscription(refused)).toMatchObject({ cursor: '{"n":0}', cursorVersion: 0 });
      }
      expect(await store.getSubscription(leased)).toMatchObject({ leaseOwner: "w1" });
      // The refused commits' keys were not remembered: the right poll emits them.
      const retried = await store.commitPolls([
        { subscriptionId: leased, commit: commit(0, ["shared", "l1"], { lease: { owner: "w1", release: true } }) },
        { subscriptionId: stale, commit: commit(1, ["shared", "s1"]) },
      ]);
      expect(retried.map(insertedKeys)).toEqual([
        ["shared", "l1"],
        ["shared", "s1"],
      ]);
      expect(await store.getSubscription(leased)).toMatchObject({ leaseOwner: null, cursorVersion: 1 });
    });

    it("dedupes per subscription: a shared scan's key goes into each subscription's outbox once", async () => {
      const { store } = await setup();
      const [a, b] = await newSubscriptions(store, 2);
      if (a === undefined || b === undefined) throw new Error("not created");
      const both = (version: number, keysToEmit: string[]): SubscriptionPollCommit[] =>
        [a, b].map((subscriptionId) => ({ subscriptionId, commit: { expectedCursorVersion: version, newCursor: `{"n":${version + 1}}`, events: keysToEmit.map((key) => event(key)) } }));
      expect((await store.commitPolls(both(0, ["x", "y", "x"]))).map((r) => r.committed && [r.inserted.map((e) => e.dedupeKey), r.duplicates])).toEqual([
        [["x", "y"], ["x"]],
        [["x", "y"], ["x"]],
      ]);
      expect((await store.commitPolls(both(1, ["y", "z"]))).map((r) => r.committed && [r.inserted.map((e) => e.dedupeKey), r.duplicates])).toEqual([
        [["z"], ["y"]],
        [["z"], ["y"]],
      ]);
      expect(await keys(store, a)).toEqual(["x", "y", "z"]);
      expect(await keys(store, b)).toEqual(["x", "y", "z"]);
    });

    it("commits a subscription named twice in input order, the second seeing the first", async () => {
      const { store } = await setup();
      const [a] = await newSubscriptions(store, 1);
      if (a === undefined) throw new Error("not created");
      const results = await store.commitPolls([
        { subscriptionId: a, commit: { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("k1"), event("k2")], lease: { owner: "nobody", release: false } } },
        { subscriptionId: a, commit: { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("k1"), event("k2")] } },
        { subscriptionId: a, commit: { expectedCursorVersion: 1, newCursor: '{"n":2}', events: [event("k2"), event("k3")] } },
        { subscriptionId: a, commit: { expectedCursorVersion: 1, newCursor: '{"n":9}', events: [event("k9")] } },
      ]);
      expect(results).toEqual([
        { committed: false, reason: "lease_lost", currentCursorVersion: 0 },
        expect.objectContaining({ committed: true, cursorVersion: 1, duplicates: [] }),
        expect.objectContaining({ committed: true, cursorVersion: 2, duplicates: ["k2"] }),
        { committed: false, reason: "version_conflict", currentCursorVersion: 2 },
      ]);
      const second = results[1];
      const third = results[2];
      if (second?.committed !== true || third?.committed !== true) throw new Error("not committed");
      // Ids grow in commit order within the subscription.
      expect([...second.inserted, ...third.inserted].map((e) => e.dedupeKey)).toEqual(["k1", "k2", "k3"]);
      expect((third.inserted[0]?.id ?? 0) > (second.inserted[1]?.id ?? Infinity)).toBe(true);
      expect(await store.getSubscription(a)).toMatchObject({ cursor: '{"n":2}', cursorVersion: 2 });
      expect(await keys(store, a)).toEqual(["k1", "k2", "k3"]);
    });

    it("writes nothing of the batch when one commit fails inside the transaction, or is malformed", async () => {
      const { store, fixture } = await setup();
      const [a, b, c] = await newSubscriptions(store, 3);
      if (a === undefined || b === undefined || c === undefined) throw new Error("not created");
      // The database itself refuses this key's outbox row: a failure after the earlier commits
      // of the batch (a's events and cursor, b's first event and its key) were written.
      await fixture.refuseOutboxKey("poison");
      const batch = (poison: string): SubscriptionPollCommit[] => [
        { subscriptionId: a, commit: { expectedCursorVersion: 0, newCursor: '{"n":2}', events: [event("a1"), event("a2")] } },
        { subscriptionId: b, commit: { expectedCursorVersion: 0, newCursor: '{"n":2}', events: [event("b1"), event(poison)] } },
        { subscriptionId: c, commit: { expectedCursorVersion: 0, newCursor: '{"n":1}', events: [event("c1")] } },
      ];
      await expect(store.commitPolls(batch("poison"))).rejects.toThrow();
      const malformed = batch("b2");
      malformed.push({ subscriptionId: c, commit: { expectedCursorVersion: 1, newCursor: "{not json", events: [] } });
      const invalid: unknown = await store.commitPolls(malformed).catch((e: unknown) => e);
      expect(isStoreError(invalid, "invalid_argument")).toBe(true);

      for (const id of [a, b, c]) {
        expect(await store.getSubscription(id)).toMatchObject({ cursor: '{"n":0}', cursorVersion: 0 });
        expect(await keys(store, id)).toEqual([]);
      }
      // No key of the failed batches was remembered.
      const clean = await store.commitPolls(batch("b2"));
      expect(clean.map(insertedKeys)).toEqual([["a1", "a2"], ["b1", "b2"], ["c1"]]);
    });

    it("two store instances committing overlapping batches in opposite orders never commit a cursor version twice", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const ids = await newSubscriptions(store, 4);
      const options = { batch: 5, overlap: 3 };
      const target = 100;
      const committed: string[] = [];
      let conflicts = 0;
      // Each worker scans every subscription and commits the batch, one in id order, the other
      // reversed: with locks taken in input order, PostgreSQL would deadlock them.
      const worker = async (s: Store, order: readonly string[]): Promise<void> => {
        for (;;) {
          const positions = await Promise.all(order.map(async (id) => cursorPosition((await s.getSubscription(id))?.cursor ?? "{}")));
          const behind = order.filter((_, i) => (positions[i] ?? 0) < target);
          if (behind.length === 0) return;
          const batch = await scanBatch(s, behind, options);
          await nextTurn();
          const results = await s.commitPolls(batch);
          for (const [i, result] of results.entries()) {
            if (result.committed) committed.push(`${batch[i]?.subscriptionId} v${result.cursorVersion}`);
            else if (result.reason === "version_conflict") conflicts++;
            else throw new Error(`refused: ${result.reason}`);
          }
        }
      };
      await Promise.all([worker(store, ids), worker(other, [...ids].reverse())]);
      expect(conflicts).toBeGreaterThan(0);
      expect(committed.length).toBe(ids.length * (target / options.batch));
      expect(new Set(committed).size).toBe(committed.length);
      for (const id of ids) expect(await expectConsistentHistory(other, id, options.batch)).toBe(target);
    });
  });
}
