import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { BudgetDecision, BudgetSpend } from "../records.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";
import { runTogether } from "./spawn-store-child.js";

/**
 * Sliding-window budgets: exact limit, exact retry time, shared between instances and processes.
 *
 * @example
 * budgetTests(makeSqliteFixture);
 */
export function budgetTests(makeStore: MakeStoreFixture): void {
  describe("call budgets", () => {
    const setup = useHarness(makeStore);
    const spend = (nowOffsetMs: number, limit = 3, cost = 1): BudgetSpend => ({ limit, windowMs: 1_000, cost, nowMs: START_MS + nowOffsetMs });

    it("admits `limit` spends within any window and says when the next one fits", async () => {
      const { store } = await setup();
      expect(await store.spendCallBudget("k", spend(0))).toEqual({ allowed: true, remaining: 2 });
      expect(await store.spendCallBudget("k", spend(100))).toEqual({ allowed: true, remaining: 1 });
      expect(await store.spendCallBudget("k", spend(200))).toEqual({ allowed: true, remaining: 0 });
      expect(await store.spendCallBudget("k", spend(300))).toEqual({ allowed: false, retryAfterMs: 700 });
      // Refused spends cost nothing: the answer only depends on the admitted ones.
      expect(await store.spendCallBudget("k", spend(999))).toEqual({ allowed: false, retryAfterMs: 1 });
      expect(await store.spendCallBudget("k", spend(1_000))).toEqual({ allowed: true, remaining: 0 });
      expect(await store.spendCallBudget("k", spend(1_050))).toEqual({ allowed: false, retryAfterMs: 50 });
      expect(await store.spendCallBudget("k", spend(1_100))).toEqual({ allowed: true, remaining: 0 });
    });

    it("spends several units at once and waits for enough of them to expire", async () => {
      const { store } = await setup();
      expect(await store.spendCallBudget("k", spend(0, 5, 3))).toEqual({ allowed: true, remaining: 2 });
      expect(await store.spendCallBudget("k", spend(10, 5, 2))).toEqual({ allowed: true, remaining: 0 });
      // 4 units fit once the 3 at t=0 and one at t=10 have left the window.
      expect(await store.spendCallBudget("k", spend(20, 5, 4))).toEqual({ allowed: false, retryAfterMs: 990 });
      expect(await store.spendCallBudget("k", spend(20, 5, 1))).toEqual({ allowed: false, retryAfterMs: 980 });
      expect(await store.spendCallBudget("k", spend(1_000, 5, 4))).toEqual({ allowed: false, retryAfterMs: 10 });
      expect(await store.spendCallBudget("k", spend(1_000, 5, 3))).toEqual({ allowed: true, remaining: 0 });
      const impossible: unknown = await store.spendCallBudget("k", spend(2_000, 5, 6)).catch((e: unknown) => e);
      expect(isStoreError(impossible, "invalid_argument")).toBe(true);
    });

    it("keeps budgets apart by key, and shares one key between store instances", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      expect((await store.spendCallBudget("a", spend(0))).allowed).toBe(true);
      expect((await other.spendCallBudget("a", spend(1))).allowed).toBe(true);
      expect((await store.spendCallBudget("b", spend(2))).allowed).toBe(true);
      expect(await other.spendCallBudget("a", spend(3))).toEqual({ allowed: true, remaining: 0 });
      expect(await store.spendCallBudget("a", spend(4))).toEqual({ allowed: false, retryAfterMs: 996 });
      expect(await other.spendCallBudget("b", spend(5))).toEqual({ allowed: true, remaining: 1 });
    });

    it("forgets old spends on prune", async () => {
      const { store, clock } = await setup();
      await store.spendCallBudget("k", spend(0));
      await store.spendCallBudget("k", spend(0));
      clock.advance(2_000);
      const report = await store.prune({ deliveredEventsMs: 1e12, deadEventsMs: 1e12, dedupeKeysMs: 1e12, callLogMs: 1_000 });
      expect(report.callLog).toBe(2);
    });

    it("counts each minute's admitted and refused units, per key, shared between instances", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const minute = Math.floor(START_MS / 60_000) * 60_000;
      // Spends at the start of a minute and at its end, then in the next one.
      const at = (ms: number, limit = 3, cost = 1): BudgetSpend => ({ limit, windowMs: 1_000, cost, nowMs: minute + ms });
      for (let i = 0; i < 5; i++) await store.spendCallBudget("k", at(i)); // 3 admitted, 2 refused
      await other.spendCallBudget("k", at(59_999, 3, 2)); // 2 admitted, by another instance
      await store.spendCallBudget("k", at(60_000, 3, 2)); // the next minute: refused (2 of 3 in the window)
      await store.spendCallBudget("other", at(10));
      expect(await other.budgetHistory("k", new Date(minute))).toEqual([
        { minute: new Date(minute), spent: 5, refused: 2 },
        { minute: new Date(minute + 60_000), spent: 0, refused: 2 },
      ]);
      // From a time inside a minute: that whole minute; none before.
      expect(await store.budgetHistory("k", new Date(minute + 60_500))).toEqual([{ minute: new Date(minute + 60_000), spent: 0, refused: 2 }]);
      expect(await store.budgetHistory("k", new Date(minute + 120_000))).toEqual([]);
      expect(await store.budgetHistory("unknown", new Date(0))).toEqual([]);
    });

    it("forgets the history's minutes on prune with the idle budgets, keeping recent ones", async () => {
      const { store, clock } = await setup();
      const minute = Math.floor(START_MS / 60_000) * 60_000;
      await store.spendCallBudget("k", { limit: 3, windowMs: 1_000, cost: 1, nowMs: minute });
      await store.spendCallBudget("k", { limit: 3, windowMs: 1_000, cost: 1, nowMs: minute + 3 * 60_000 });
      clock.advance(minute + 4 * 60_000 - START_MS);
      await store.prune({ deliveredEventsMs: 1e12, deadEventsMs: 1e12, dedupeKeysMs: 1e12, callLogMs: 2 * 60_000 });
      expect(await store.budgetHistory("k", new Date(0))).toEqual([{ minute: new Date(minute + 3 * 60_000), spent: 1, refused: 0 }]);
    });

    it("answers a refusal with the exact wait: a moment earlier is refused, at the wait it fits", async () => {
      const { store } = await setup();
      expect(await store.spendCallBudget("k", spend(0, 4, 2))).toEqual({ allowed: true, remaining: 2 });
      expect(await store.spendCallBudget("k", spend(300, 4, 1))).toEqual({ allowed: true, remaining: 1 });
      expect(await store.spendCallBudget("k", spend(600, 4, 1))).toEqual({ allowed: true, remaining: 0 });
      // Three units need the two at t=0 and the one at t=300 gone: t=1300.
      expect(await store.spendCallBudget("k", spend(700, 4, 3))).toEqual({ allowed: false, retryAfterMs: 600 });
      expect(await store.spendCallBudget("k", spend(1_299, 4, 3))).toEqual({ allowed: false, retryAfterMs: 1 });
      expect(await store.spendCallBudget("k", spend(1_300, 4, 3))).toEqual({ allowed: true, remaining: 0 });
      // Now t=600 and the three at t=1300 are inside; one unit fits once t=600 leaves.
      expect(await store.spendCallBudget("k", spend(1_300, 4, 1))).toEqual({ allowed: false, retryAfterMs: 300 });
      expect(await store.spendCallBudget("k", spend(1_600, 4, 1))).toEqual({ allowed: true, remaining: 0 });
    });

    it("stays exact when the limit changes, down then up", async () => {
      const { store } = await setup();
      for (let t = 0; t < 500; t += 100) expect((await store.spendCallBudget("k", spend(t, 5))).allowed).toBe(true); // t = 0 … 400
      // Down to 3: five units are inside, so one more fits when three of them have left (t=200 goes at 1200).
      expect(await store.spendCallBudget("k", spend(500, 3))).toEqual({ allowed: false, retryAfterMs: 700 });
      expect(await store.spendCallBudget("k", spend(1_199, 3))).toEqual({ allowed: false, retryAfterMs: 1 });
      expect(await store.spendCallBudget("k", spend(1_200, 3))).toEqual({ allowed: true, remaining: 0 });
      // Up to 6: t=300, t=400 and t=1200 are inside, three more fit at once, a fourth when t=300 leaves.
      expect(await store.spendCallBudget("k", spend(1_250, 6, 3))).toEqual({ allowed: true, remaining: 0 });
      expect(await store.spendCallBudget("k", spend(1_260, 6, 1))).toEqual({ allowed: false, retryAfterMs: 40 });
      expect(await store.spendCallBudget("k", spend(1_300, 6, 1))).toEqual({ allowed: true, remaining: 0 });
      // Back to 5, with six inside (t=400, 1200, 1250 ×3, 1300): two must leave, t=1200 last, at 2200.
      expect(await store.spendCallBudget("k", spend(1_300, 5, 1))).toEqual({ allowed: false, retryAfterMs: 900 });
      expect(await store.spendCallBudget("k", spend(2_200, 5, 1))).toEqual({ allowed: true, remaining: 0 });
    });

    it("decides every spend as an exact sliding log would, through costs, waits and limit changes", async () => {
      const { store } = await setup();
      const random = seededRandom(20_261_126);
      const log: number[] = []; // accepted units' times, oldest first
      const limits = [1, 2, 3, 7, 20];
      let limit = 7;
      let now = 0;
      const seen = { accepted: 0, refused: 0, limitChanges: 0 };
      for (let step = 0; step < 400; step++) {
        if (random() < 0.05) {
          const next = limits[Math.floor(random() * limits.length)] ?? 7;
          if (next !== limit) seen.limitChanges++;
          limit = next;
        }
        const roll = random();
        now += roll < 0.3 ? 0 : roll < 0.95 ? Math.floor(random() * 200) : 1_000 + Math.floor(random() * 1_000);
        const cost = random() < 0.1 ? limit : 1 + Math.floor(random() * Math.min(limit, 4));
        const expected = logDecision(log, { limit, windowMs: 1_000, cost, nowMs: START_MS + now });
        const decision = await store.spendCallBudget("k", spend(now, limit, cost));
        expect(decision, `step ${step}: ${cost} of ${limit} at ${now}`).toEqual(expected);
        seen[decision.allowed ? "accepted" : "refused"]++;
        if (decision.allowed) for (let i = 0; i < cost; i++) log.push(START_MS + now);
      }
      // The seed makes a run that exercises every case, not only the easy one.
      expect(seen.accepted).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(50);
      expect(seen.limitChanges).toBeGreaterThan(5);
    });

    it("is exact at a limit of 10,000", async () => {
      const { store } = await setup();
      const big = (nowOffsetMs: number, cost: number, limit = 10_000): BudgetSpend => ({ limit, windowMs: 60_000, cost, nowMs: START_MS + nowOffsetMs });
      // 100 spends of 100 units, 10 ms apart: t = 0, 10, …, 990.
      for (let i = 0; i < 100; i++) expect(await store.spendCallBudget("k", big(i * 10, 100))).toEqual({ allowed: true, remaining: 10_000 - (i + 1) * 100 });
      expect(await store.spendCallBudget("k", big(1_000, 1))).toEqual({ allowed: false, retryAfterMs: 59_000 });
      expect(await store.spendCallBudget("k", big(59_999, 1))).toEqual({ allowed: false, retryAfterMs: 1 });
      // At 60,000 the hundred units of t=0 have left: exactly 100 fit, not 101.
      expect(await store.spendCallBudget("k", big(60_000, 101))).toEqual({ allowed: false, retryAfterMs: 10 });
      expect(await store.spendCallBudget("k", big(60_000, 60))).toEqual({ allowed: true, remaining: 40 });
      expect(await store.spendCallBudget("k", big(60_000, 40))).toEqual({ allowed: true, remaining: 0 });
      expect(await store.spendCallBudget("k", big(60_000, 1))).toEqual({ allowed: false, retryAfterMs: 10 });
      expect(await store.spendCallBudget("k", big(60_010, 1))).toEqual({ allowed: true, remaining: 99 });
      // Down to 100 from 10,000: the newest 100 are the ones of t=60,000 and t=60,010.
      expect(await store.spendCallBudget("k", big(60_010, 1, 100))).toEqual({ allowed: false, retryAfterMs: 59_990 });
      expect(await store.spendCallBudget("k", big(120_000, 100, 100))).toEqual({ allowed: false, retryAfterMs: 10 });
      expect(await store.spendCallBudget("k", big(120_000, 99, 100))).toEqual({ allowed: true, remaining: 0 });
    });

    it("keeps at most `limit` units per budget, however many were spent", async () => {
      const { store, clock } = await setup();
      for (let t = 0; t < 10_000; t += 500) expect((await store.spendCallBudget("k", spend(t, 3))).allowed).toBe(true);
      expect((await store.spendCallBudget("j", spend(0, 5, 2))).allowed).toBe(true);
      clock.advance(20_000);
      // Prune counts the units it forgets: 3 of the 20 spent from "k", both of "j".
      expect((await store.prune({ deliveredEventsMs: 1e12, deadEventsMs: 1e12, dedupeKeysMs: 1e12, callLogMs: 1_000 })).callLog).toBe(5);
      expect(await store.spendCallBudget("k", spend(20_000, 3, 3))).toEqual({ allowed: true, remaining: 0 });
    });

    it("holds units longer, never admits one early, when a clock steps back", async () => {
      const { store, openAnother } = await setup();
      const behind = await openAnother();
      expect(await store.spendCallBudget("k", spend(1_000, 2))).toEqual({ allowed: true, remaining: 1 });
      // Another process, 100 ms behind: its unit counts as spent at 1,000 (the ring stays in order).
      expect(await behind.spendCallBudget("k", spend(900, 2))).toEqual({ allowed: true, remaining: 0 });
      // A log would say 950 (until 900 + 1,000); the ring waits for 1,000 + 1,000.
      expect(await behind.spendCallBudget("k", spend(950, 2))).toEqual({ allowed: false, retryAfterMs: 1_050 });
      expect(await store.spendCallBudget("k", spend(1_999, 2))).toEqual({ allowed: false, retryAfterMs: 1 });
      expect(await store.spendCallBudget("k", spend(2_000, 2, 2))).toEqual({ allowed: true, remaining: 0 });
    });

    it("never admits more than the limit when three processes spend at the same moment", async () => {
      const { fixture, secretKey } = await setup();
      const task = { task: "spend" as const, url: fixture.url, key: "shared", attempts: 60, limit: 100, windowMs: 60_000, nowMs: START_MS };
      const results = await runTogether<{ allowed: number }>([task, task, task], secretKey);
      expect(results.reduce((sum, r) => sum + r.allowed, 0)).toBe(100);
    });
  });
}

/** The sliding log the ring must agree with: every accepted unit's time, answered by counting. */
function logDecision(log: readonly number[], spend: BudgetSpend): BudgetDecision {
  const inside = log.filter((t) => t > spend.nowMs - spend.windowMs);
  if (inside.length + spend.cost <= spend.limit) return { allowed: true, remaining: spend.limit - inside.length - spend.cost };
  // The spend fits once the (inside + cost - limit) oldest units inside have left.
  const freedAt = inside[inside.length + spend.cost - spend.limit - 1] ?? spend.nowMs;
  return { allowed: false, retryAfterMs: Math.max(1, freedAt + spend.windowMs - spend.nowMs) };
}

/** Mulberry32: the model test's spends are random but the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
