import type { BudgetDecision, BudgetSpend } from "../records.js";
import { assertBudgetSpend, assertNonEmpty } from "../validation.js";
import { type PostgresPool, transaction } from "./database.js";

/**
 * Sliding-window budgets as a log of spends in PostgreSQL, with SQLite's logic. The check and the
 * spend share one transaction that first takes an advisory lock on the budget key: spends of one
 * key queue (across instances and processes), spends of different keys do not. Each statement
 * after the lock reads what the previous holder committed (READ COMMITTED takes a snapshot per
 * statement), so the count is exact and the limit is never passed.
 *
 * @example
 * await new PostgresCallBudget(pool).spend("connection:c1", { limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export class PostgresCallBudget {
  constructor(private readonly pool: PostgresPool) {}

  async spend(key: string, spend: BudgetSpend): Promise<BudgetDecision> {
    assertNonEmpty(key, "key");
    assertBudgetSpend(spend);
    const { limit, windowMs, cost } = spend;
    // `called_at` is a BIGINT of milliseconds: a fractional clock (performance.now) counts from its millisecond.
    const nowMs = Math.floor(spend.nowMs);
    return transaction(this.pool, async (client): Promise<BudgetDecision> => {
      // Every request spends, and waiting for the WAL flush costs milliseconds; a spend needs no
      // crash durability (losing the last spends only admits a few calls more), and the next
      // durable commit flushes it anyway. Visibility to other sessions is immediate either way.
      // Advisory locks are database-wide: the key names the schema, so tenants never queue together.
      await client.query(
        `SELECT set_config('synchronous_commit', 'off', true),
                pg_advisory_xact_lock(hashtextextended('intercom-connector:budget:' || coalesce(current_schema(), '') || ':' || $1, 0))`,
        [key],
      );
      // A spend at t counts for calls in (t - window, t]; older ones are gone for good.
      await client.query("DELETE FROM call_log WHERE budget_key = $1 AND called_at <= $2", [key, nowMs - windowMs]);
      const spent = (await client.query<{ n: number }>("SELECT count(*) AS n FROM call_log WHERE budget_key = $1", [key])).rows[0]?.n ?? 0;
      if (spent + cost <= limit) {
        await client.query("INSERT INTO call_log (budget_key, called_at) SELECT $1, $2::bigint FROM generate_series(1, $3::integer)", [key, nowMs, cost]);
        return { allowed: true, remaining: limit - spent - cost };
      }
      // `cost` units fit once the (spent + cost - limit) oldest spends have left the window.
      const mustExpire = spent + cost - limit;
      const freedAt =
        (
          await client.query<{ called_at: number }>("SELECT called_at FROM call_log WHERE budget_key = $1 ORDER BY called_at LIMIT 1 OFFSET $2", [
            key,
            mustExpire - 1,
          ])
        ).rows[0]?.called_at ?? nowMs;
      return { allowed: false, retryAfterMs: Math.max(1, freedAt + windowMs - nowMs) };
    });
  }
}
