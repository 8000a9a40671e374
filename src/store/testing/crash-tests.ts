import { describe, expect, it } from "vitest";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";
import { expectConsistentHistory } from "./history.js";
import { spawnStoreChild } from "./spawn-store-child.js";

const BATCH = 25;

async function newSubscription(store: Store): Promise<string> {
  const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
  return (await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewUser", cursor: JSON.stringify({ n: 0 }), nextPollAt: new Date(START_MS) })).id;
}

/**
 * Crash safety: a process killed with SIGKILL in the middle of a commit loop leaves whole polls
 * only (events and cursor together), and whole batches of `commitPolls` only (every subscription
 * of the batch or none), and every commit it reported survives.
 *
 * @example
 * crashTests(makeSqliteFixture);
 */
export function crashTests(makeStore: MakeStoreFixture): void {
  describe("crash safety", () => {
    const setup = useHarness(makeStore);

    it("a process killed with SIGKILL mid-loop leaves a consistent outbox and cursor (five rounds)", async () => {
      const { store, fixture, secretKey } = await setup();
      const id = await newSubscription(store);
      let reached = 0;
      for (let round = 1; round <= 5; round++) {
        const child = spawnStoreChild({ task: "crash-loop", url: fixture.url, subscriptionId: id, batch: BATCH, overlap: 5, padding: 4_000 }, secretKey);
        // Let it commit a few polls, then kill it at an arbitrary point of the next ones.
        const reported = await killAfter(child, reached + BATCH * (2 + round));

        const n = await expectConsistentHistory(store, id, BATCH);
        expect(n).toBeGreaterThanOrEqual(reported);
        // At most one commit can have landed without being reported.
        expect(n).toBeLessThanOrEqual(reported + BATCH);
        expect(n).toBeGreaterThan(reached);
        reached = n;
      }
    });

    it("a process killed with SIGKILL mid-batch leaves every subscription of the batch at one position (three rounds)", async () => {
      const { store, fixture, secretKey } = await setup();
      const ids = [await newSubscription(store), await newSubscription(store), await newSubscription(store)];
      let reached = 0;
      for (let round = 1; round <= 3; round++) {
        const child = spawnStoreChild({ task: "crash-batch-loop", url: fixture.url, subscriptionIds: ids, batch: BATCH, overlap: 5, padding: 4_000 }, secretKey);
        const reported = await killAfter(child, reached + BATCH * (1 + round));

        // All or none of each batch: the three histories end at the same position.
        const positions = [];
        for (const id of ids) positions.push(await expectConsistentHistory(store, id, BATCH));
        const [n = 0] = positions;
        expect(positions).toEqual([n, n, n]);
        expect(n).toBeGreaterThanOrEqual(reported);
        expect(n).toBeLessThanOrEqual(reported + BATCH);
        reached = n;
      }
    });
  });
}

/** The count a child's `committed N` line reports (0 for any other line). */
function committedCount(line: string): number {
  return line.startsWith("committed ") ? Number(line.slice("committed ".length)) : 0;
}

/**
 * Waits until a crash-loop child reports `target` committed, SIGKILLs it a random moment later
 * (anywhere in its next commits), and returns the most it reported.
 */
async function killAfter(child: ReturnType<typeof spawnStoreChild>, target: number): Promise<number> {
  await child.waitForLine((line) => committedCount(line) >= target);
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 25)));
  await child.kill("SIGKILL");
  const { signal } = await child.exited;
  expect(signal).toBe("SIGKILL");
  return Math.max(0, ...child.lines.map(committedCount));
}
