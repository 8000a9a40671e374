import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";
import { expectConsistentHistory } from "./history.js";
import { cursorPosition, simulatePoll } from "./simulated-source.js";
import { runTogether } from "./spawn-store-child.js";

const BATCH = 5;
const OVERLAP = 3;

async function newSubscription(store: Store): Promise<string> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  return (await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: JSON.stringify({ n: 0 }), nextPollAt: new Date(START_MS) })).id;
}

/** Polls until the cursor reaches `target`; yields between read and commit so workers interleave. */
async function pollWorker(store: Store, subscriptionId: string, target: number): Promise<{ commits: number; conflicts: number }> {
  let commits = 0;
  let conflicts = 0;
  for (;;) {
    const subscription = await store.getSubscription(subscriptionId);
    if (subscription === null) throw new Error("subscription missing");
    if (cursorPosition(subscription.cursor) >= target) return { commits, conflicts };
    const poll = simulatePoll(subscription.cursor, { batch: BATCH, overlap: OVERLAP });
    await nextTurn();
    const result = await store.commitPoll(subscriptionId, { expectedCursorVersion: subscription.cursorVersion, newCursor: poll.newCursor, events: poll.events });
    if (result.committed) commits++;
    else if (result.reason === "version_conflict") conflicts++;
    else throw new Error(`refused: ${result.reason}`);
  }
}

/**
 * Concurrent polls of one subscription from several store instances and processes: every item
 * once, none lost, the cursor consistent.
 *
 * @example
 * concurrencyTests(makeSqliteFixture);
 */
export function concurrencyTests(makeStore: MakeStoreFixture): void {
  describe("concurrent polls", () => {
    const setup = useHarness(makeStore);

    it("two store instances racing on one subscription never emit an item twice", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const id = await newSubscription(store);
      const [a, b] = await Promise.all([pollWorker(store, id, 200), pollWorker(other, id, 200)]);
      // The race really happened: both read the same version at least once.
      expect((a?.conflicts ?? 0) + (b?.conflicts ?? 0)).toBeGreaterThan(0);
      const n = await expectConsistentHistory(other, id, BATCH);
      expect(n).toBe(200);
      expect((a?.commits ?? 0) + (b?.commits ?? 0)).toBe(200 / BATCH);
    });

    it("two processes racing on one subscription never emit an item twice", async () => {
      const { store, fixture, secretKey } = await setup();
      const id = await newSubscription(store);
      const task = { task: "commit-loop" as const, url: fixture.url, subscriptionId: id, target: 600, batch: BATCH, overlap: OVERLAP };
      const results = await runTogether<{ commits: number; conflicts: number }>([task, task], secretKey);
      expect(await expectConsistentHistory(store, id, BATCH)).toBe(600);
      expect(results.reduce((sum, r) => sum + r.commits, 0)).toBe(600 / BATCH);
    });
  });
}
