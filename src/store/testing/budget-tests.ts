import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { BudgetSpend } from "../records.js";
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

    it("never admits more than the limit when three processes spend at the same moment", async () => {
      const { fixture, secretKey } = await setup();
      const task = { task: "spend" as const, url: fixture.url, key: "shared", attempts: 60, limit: 100, windowMs: 60_000, nowMs: START_MS };
      const results = await runTogether<{ allowed: number }>([task, task, task], secretKey);
      expect(results.reduce((sum, r) => sum + r.allowed, 0)).toBe(100);
    });
  });
}
