import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore, type Store } from "../store/index.js";
import { startTsxChild, stopChildren } from "../store/testing/children.js";
import { ManualClock } from "../store/testing/harness.js";
import { ConnectionCallBudget } from "./call-budget.js";

const T0 = 1_700_000_000_000;
const secretKey = randomBytes(32);
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await stopChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A SQLite database in a temp dir (removed after the test), and a way to open more instances. */
async function database(): Promise<{ path: string; open(): Store }> {
  const dir = await mkdtemp(join(tmpdir(), "icc-limits-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "connector.db");
  return {
    path,
    open: () => {
      const store = SqliteStore.open(path, { secretKey });
      cleanups.push(() => store.close());
      return store;
    },
  };
}

async function spendMany(budget: ConnectionCallBudget, connectionId: string, times: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await budget.spend(connectionId)).allowed) allowed++;
  return allowed;
}

describe("ConnectionCallBudget", () => {
  it("allows 100 calls, refuses the 101st with the seconds until a call leaves the window", async () => {
    const store = (await database()).open();
    const clock = new ManualClock(T0);
    const budget = new ConnectionCallBudget(store, { clock: clock.now });
    for (let i = 0; i < 100; i++) {
      expect(await budget.spend("c1")).toEqual({ allowed: true, remaining: 99 - i });
      clock.advance(100);
    }
    // t = 10 s: the first call (t = 0) leaves the window at t = 60 s.
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 50 });
    clock.advance(500);
    // 49.5 s rounds up: retrying after Retry-After must not be early.
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 50 });
    // Another connection has its own budget.
    expect(await budget.spend("c2")).toEqual({ allowed: true, remaining: 99 });
  });

  it("slides: no 60 s span ever holds more than 100 calls, unlike fixed windows", async () => {
    const store = (await database()).open();
    const clock = new ManualClock(T0);
    const budget = new ConnectionCallBudget(store, { clock: clock.now });
    expect(await spendMany(budget, "c1", 50)).toBe(50);
    clock.advance(59_000);
    expect(await spendMany(budget, "c1", 60)).toBe(50);
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // t = 60 s: the 50 calls of t = 0 have left; the 50 of t = 59 s remain.
    clock.advance(1_000);
    expect(await spendMany(budget, "c1", 60)).toBe(50);
    // t = 61 s: 100 calls within (1 s, 61 s]; a fixed window starting at 60 s would admit 50 more.
    clock.advance(1_000);
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 58 });
    clock.advance(58_000);
    expect(await spendMany(budget, "c1", 60)).toBe(50);
  });

  it("takes its size and window from options, and refuses nonsense", async () => {
    const store = (await database()).open();
    const clock = new ManualClock(T0);
    const budget = new ConnectionCallBudget(store, { callsPerWindow: 5, windowSeconds: 10, clock: clock.now });
    expect(await spendMany(budget, "c1", 8)).toBe(5);
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(9_999);
    expect(await budget.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(await spendMany(budget, "c1", 8)).toBe(5);
    // A poll that costs three calls.
    clock.advance(10_000);
    expect(await budget.spend("c1", 3)).toEqual({ allowed: true, remaining: 2 });
    expect(await budget.spend("c1", 3)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(() => new ConnectionCallBudget(store, { callsPerWindow: 0 })).toThrow(RangeError);
    expect(() => new ConnectionCallBudget(store, { windowSeconds: -1 })).toThrow(RangeError);
  });

  it("is shared by two store instances on one database", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const a = new ConnectionCallBudget(db.open(), { clock: clock.now });
    const b = new ConnectionCallBudget(db.open(), { clock: clock.now });
    expect(await spendMany(a, "c1", 60)).toBe(60);
    expect(await spendMany(b, "c1", 60)).toBe(40);
    expect(await a.spend("c1")).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it("admits exactly 100 when calls race from two instances and three processes", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const task = { url: `sqlite://${db.path}`, connectionId: "c1", attempts: 40, nowMs: T0 };
    const script = new URL("./testing/spend-child.ts", import.meta.url);
    const children = [0, 1, 2].map(() => startTsxChild(script, [JSON.stringify(task)], { STORE_CHILD_SECRET_KEY: secretKey.toString("hex") }));
    await Promise.all(children.map((child) => child.waitForLine((line) => line === "ready")));
    const a = new ConnectionCallBudget(db.open(), { clock: clock.now });
    const b = new ConnectionCallBudget(db.open(), { clock: clock.now });
    for (const child of children) child.send("go");
    const here = Promise.all([spendMany(a, "c1", 40), spendMany(b, "c1", 40)]);
    const there = children.map(async (child) => {
      const { code, stderr } = await child.exited;
      const line = child.lines.find((l) => l.startsWith("result "));
      if (code !== 0 || line === undefined) throw new Error(`spend child failed:\n${stderr}`);
      return (JSON.parse(line.slice("result ".length)) as { allowed: number }).allowed;
    });
    const counts = [...(await here), ...(await Promise.all(there))];
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(100);
  });
});
