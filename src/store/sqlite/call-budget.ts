import type { BudgetDecision, BudgetSpend } from "../records.js";
import { assertBudgetSpend, assertNonEmpty } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";

/**
 * Runs `fn` (one whole transaction) with `synchronous = NORMAL`, then restores `FULL`. Every
 * request spends from a budget, and an fsync per spend costs milliseconds; a spend needs no
 * power-cut durability (losing the last spends only admits a few calls more). In WAL mode the
 * commit still reaches the WAL (a process crash loses nothing) and the next FULL commit syncs it.
 * better-sqlite3 is synchronous, so no other statement of this connection runs in between.
 */
function withoutFsync<T>(statements: StatementCache, fn: () => T): T {
  statements.get<[]>("PRAGMA synchronous = NORMAL").run();
  try {
    return fn();
  } finally {
    statements.get<[]>("PRAGMA synchronous = FULL").run();
  }
}

/**
 * Sliding-window budgets as a log of spends in SQLite. The check and the spend share one
 * `BEGIN IMMEDIATE` transaction, so processes on the same file never admit more than the limit.
 * A log is exact where a counter or GCRA would admit `limit + 1` within some window.
 *
 * @example
 * new SqliteCallBudget(db).spend("connection:c1", { limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export class SqliteCallBudget {
  private readonly statements: StatementCache;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  spend(key: string, spend: BudgetSpend): BudgetDecision {
    assertNonEmpty(key, "key");
    assertBudgetSpend(spend);
    const { limit, windowMs, cost, nowMs } = spend;
    return withoutFsync(this.statements, () => this.spendNow(key, limit, windowMs, cost, nowMs));
  }

  private spendNow(key: string, limit: number, windowMs: number, cost: number, nowMs: number): BudgetDecision {
    return immediate(this.db, (): BudgetDecision => {
      // A spend at t counts for calls in (t - window, t]; older ones are gone for good.
      this.statements.get<[string, number]>("DELETE FROM call_log WHERE budget_key = ? AND called_at <= ?").run(key, nowMs - windowMs);
      const spent = this.statements.get<[string], { n: number }>("SELECT count(*) AS n FROM call_log WHERE budget_key = ?").get(key)?.n ?? 0;
      if (spent + cost <= limit) {
        const insert = this.statements.get<[string, number]>("INSERT INTO call_log (budget_key, called_at) VALUES (?, ?)");
        for (let i = 0; i < cost; i++) insert.run(key, nowMs);
        return { allowed: true, remaining: limit - spent - cost };
      }
      // `cost` units fit once the (spent + cost - limit) oldest spends have left the window.
      const mustExpire = spent + cost - limit;
      const freedAt =
        this.statements
          .get<[string, number], { called_at: number }>("SELECT called_at FROM call_log WHERE budget_key = ? ORDER BY called_at LIMIT 1 OFFSET ?")
          .get(key, mustExpire - 1)?.called_at ?? nowMs;
      return { allowed: false, retryAfterMs: Math.max(1, freedAt + windowMs - nowMs) };
    });
  }
}
