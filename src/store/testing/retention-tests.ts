import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_POLICY } from "../policies.js";
import type { OutboxStats } from "../records.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";
import { simulatePoll } from "./simulated-source.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Simulated time between two polls (each followed by its deliveries and a prune). */
const STEP = 2 * HOUR;
/** Events a poll emits (plus the look-back window's repeats, deduplicated). */
const PER_POLL = 30;

/**
 * Retention over time: a busy subscription polled, delivered and pruned every two hours for two
 * simulated weeks (every retention of the default policy comes into play after one) keeps its outbox and
 * its dedupe keys within a bound set by the policy alone, while a pending event older than every
 * period stays, with its key.
 *
 * @example
 * retentionTests(makeSqliteFixture);
 */
export function retentionTests(makeStore: MakeStoreFixture): void {
  describe("retention over time", () => {
    const setup = useHarness(makeStore);

    it("keeps the outbox and the dedupe keys flat over two weeks of polls and prunes, and the oldest pending event", async () => {
      const { store, clock } = await setup();
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const { id } = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewUser", cursor: JSON.stringify({ n: 0 }), nextPollAt: new Date(START_MS) });
      // Taken by nobody: older than every period at the end, it must still be there.
      const [stuck] = (await store.appendEvents(id, [{ dedupeKey: "stuck", payload: { stuck: true } }])).inserted;
      let keys = 1;
      let version = 0;
      let cursor = JSON.stringify({ n: 0 });
      const policy = DEFAULT_RETENTION_POLICY;
      const deliveredBound = PER_POLL * (policy.deliveredEventsMs / STEP);
      const deadBound = policy.deadEventsMs / DAY;
      const keysBound = PER_POLL * (policy.dedupeKeysMs / STEP) + 1;
      const week2: Array<OutboxStats & { keys: number }> = [];

      for (let at = STEP; at <= 14 * DAY; at += STEP) {
        clock.advance(STEP);
        const poll = simulatePoll(cursor, { batch: PER_POLL, overlap: 5 });
        const result = await store.commitPoll(id, { expectedCursorVersion: version, newCursor: poll.newCursor, events: poll.events });
        if (!result.committed) throw new Error(`refused: ${result.reason}`);
        expect(result.inserted).toHaveLength(PER_POLL);
        version = result.cursorVersion;
        cursor = poll.newCursor;
        keys += result.inserted.length;
        const [first, ...rest] = result.inserted.map((e) => e.id);
        // Once a day the receiver refuses one event for good: a dead letter.
        if (at % DAY === 0 && first !== undefined) {
          expect(await store.recordDeliveryFailure(id, first, "HTTP 410", { firstDelayMs: 1, maxDelayMs: 1, giveUpAfterMs: 0 })).toMatchObject({ status: "dead" });
          await store.ackEvents(id, rest);
        } else {
          await store.ackEvents(id, [first ?? 0, ...rest]);
        }
        const report = await store.prune(policy);
        keys -= report.dedupeKeys;

        const stats = await store.outboxStats(id);
        expect(stats.pending).toBe(1);
        expect(stats.delivered).toBeLessThanOrEqual(deliveredBound);
        expect(stats.dead).toBeLessThanOrEqual(deadBound);
        expect(keys).toBeLessThanOrEqual(keysBound);
        if (at > 7 * DAY) week2.push({ ...stats, keys });
      }

      // Flat, not merely bounded: from the second week on, every poll finds exactly a day of
      // delivered events (less the day's dead letter), a week of dead letters and of keys.
      expect(week2).toHaveLength((7 * DAY) / STEP);
      expect(new Set(week2.map((sample) => JSON.stringify(sample)))).toEqual(
        new Set([JSON.stringify({ pending: 1, delivered: deliveredBound - 1, dead: deadBound, keys: keysBound })]),
      );
      // The stuck event, two weeks old, is pending with its key: not emitted a second time.
      expect((await store.pendingEvents(id, 1)).map((e) => e.id)).toEqual([stuck?.id]);
      expect(await store.appendEvents(id, [{ dedupeKey: "stuck", payload: {} }])).toEqual({ inserted: [], duplicates: ["stuck"] });
    });
  });
}
