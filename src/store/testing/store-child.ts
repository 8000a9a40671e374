/**
 * A child process for the conformance suite: opens the store at a URL and runs one task, so that
 * tests can put several processes on one database, or kill one mid-write. Prints `ready` once
 * the store is open; with `barrier`, waits for `go` on stdin first so that children start together.
 *
 * Run: node --import tsx store-child.ts '<task JSON>' (secret key in STORE_CHILD_SECRET_KEY, hex).
 */
import { createInterface } from "node:readline";
import { openStore } from "../open.js";
import { cursorPosition, simulatePoll } from "./simulated-source.js";

/**
 * What a child does.
 *
 * @example
 * const task: StoreChildTask = { task: "migrate", url, barrier: true };
 */
export type StoreChildTask = { url: string; barrier?: boolean } & (
  | { task: "migrate" }
  | { task: "commit-loop"; subscriptionId: string; target: number; batch: number; overlap: number }
  | { task: "crash-loop"; subscriptionId: string; batch: number; overlap: number; padding: number }
  | { task: "crash-batch-loop"; subscriptionIds: string[]; batch: number; overlap: number; padding: number }
  | { task: "spend"; key: string; attempts: number; limit: number; windowMs: number; nowMs: number }
);

const task = JSON.parse(process.argv[2] ?? "{}") as StoreChildTask;
const secretKey = Buffer.from(process.env.STORE_CHILD_SECRET_KEY ?? "", "hex");
const store = await openStore(task.url, { secretKey, migrate: task.task !== "migrate" });
console.log("ready");
if (task.barrier === true) await waitForGo();

switch (task.task) {
  case "migrate": {
    console.log(`result ${JSON.stringify(await store.migrate())}`);
    break;
  }
  case "commit-loop": {
    // Read, poll, commit; a conflict means the other process committed first: read again.
    let commits = 0;
    let conflicts = 0;
    for (;;) {
      const subscription = await store.getSubscription(task.subscriptionId);
      if (subscription === null) throw new Error("subscription vanished");
      if (cursorPosition(subscription.cursor) >= task.target) break;
      const poll = simulatePoll(subscription.cursor, task);
      const result = await store.commitPoll(task.subscriptionId, { expectedCursorVersion: subscription.cursorVersion, newCursor: poll.newCursor, events: poll.events });
      if (result.committed) commits++;
      else if (result.reason === "version_conflict") conflicts++;
      else throw new Error(`commit refused: ${result.reason}`);
    }
    console.log(`result ${JSON.stringify({ commits, conflicts })}`);
    break;
  }
  case "crash-loop": {
    // Runs until killed; each line reports a commit that returned.
    for (;;) {
      const subscription = await store.getSubscription(task.subscriptionId);
      if (subscription === null) throw new Error("subscription vanished");
      const poll = simulatePoll(subscription.cursor, task);
      const result = await store.commitPoll(task.subscriptionId, { expectedCursorVersion: subscription.cursorVersion, newCursor: poll.newCursor, events: poll.events });
      if (!result.committed) throw new Error(`commit refused: ${result.reason}`);
      console.log(`committed ${cursorPosition(poll.newCursor)}`);
    }
  }
  case "crash-batch-loop": {
    // A shared scan's commit over every subscription, until killed; each line reports a batch
    // that returned (all its subscriptions at that position).
    for (;;) {
      const commits = [];
      let position = 0;
      for (const subscriptionId of task.subscriptionIds) {
        const subscription = await store.getSubscription(subscriptionId);
        if (subscription === null) throw new Error("subscription vanished");
        const poll = simulatePoll(subscription.cursor, task);
        position = cursorPosition(poll.newCursor);
        commits.push({ subscriptionId, commit: { expectedCursorVersion: subscription.cursorVersion, newCursor: poll.newCursor, events: poll.events } });
      }
      for (const result of await store.commitPolls(commits)) if (!result.committed) throw new Error(`commit refused: ${result.reason}`);
      console.log(`committed ${position}`);
    }
  }
  case "spend": {
    let allowed = 0;
    for (let i = 0; i < task.attempts; i++) {
      const decision = await store.spendCallBudget(task.key, { limit: task.limit, windowMs: task.windowMs, cost: 1, nowMs: task.nowMs });
      if (decision.allowed) allowed++;
    }
    console.log(`result ${JSON.stringify({ allowed })}`);
    break;
  }
}
await store.close();

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === "go") break;
  }
  lines.close();
  // A paused stdin pipe could still hold the process open once the task is done.
  process.stdin.destroy();
}
