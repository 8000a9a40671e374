/**
 * A child process for the budget tests: opens the store at a URL, waits for `go` on stdin, spends
 * a connection's budget `attempts` times at a fixed instant, prints `result {"allowed":k}`.
 *
 * Run: node --import tsx spend-child.ts '<JSON>' (secret key in STORE_CHILD_SECRET_KEY, hex).
 */
import { createInterface } from "node:readline";
import { openStore } from "../../store/index.js";
import { ConnectionCallBudget } from "../call-budget.js";

const task = JSON.parse(process.argv[2] ?? "{}") as { url: string; connectionId: string; attempts: number; nowMs: number };
const store = await openStore(task.url, { secretKey: Buffer.from(process.env.STORE_CHILD_SECRET_KEY ?? "", "hex") });
const budget = new ConnectionCallBudget(store, { clock: () => task.nowMs });
console.log("ready");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === "go") break;
lines.close();
process.stdin.destroy();

let allowed = 0;
for (let i = 0; i < task.attempts; i++) if ((await budget.spend(task.connectionId)).allowed) allowed++;
console.log(`result ${JSON.stringify({ allowed })}`);
await store.close();
