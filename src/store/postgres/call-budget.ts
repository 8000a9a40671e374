import { budgetMinuteOf, ringDecision } from "../budget-ring.js";
import type { BudgetDecision, BudgetMinute, BudgetSpend } from "../records.js";
import { assertBudgetSpend, assertNonEmpty } from "../validation.js";
import { type PostgresPool, type Queryable, transaction } from "./database.js";

/**
 * One statement reads the ring (see `../budget-ring.ts`), decides, and writes an accepted spend:
 * one round trip after the lock. Every sub-statement sees the snapshot taken when the statement
 * starts, after the lock, so it reads what the previous holder committed. `accepted` is false when
 * the ring is smaller than the limit (the caller grows it, then asks again) or when the deciding
 * unit is still inside the window. Parameters: key, limit, window, cost, now.
 */
const SPEND = `
  WITH head AS (
    SELECT slot_count, next_seq, newest_at FROM call_budgets WHERE budget_key = $1
  ), ring AS (
    SELECT coalesce((SELECT slot_count FROM head), $2::integer) AS slot_count,
           coalesce((SELECT next_seq FROM head), 0) AS next_seq,
           greatest($5::bigint, (SELECT newest_at FROM head)) AS stored_at
  ), decision AS (
    SELECT r.slot_count, r.next_seq, r.stored_at,
           CASE WHEN r.next_seq + $4::integer - 1 - $2::integer < 0 THEN NULL
                ELSE (SELECT called_at FROM call_budget_slots
                      WHERE budget_key = $1 AND slot = (r.next_seq + $4::integer - 1 - $2::integer) % r.slot_count) END AS deciding_at,
           (SELECT seq FROM call_budget_slots WHERE budget_key = $1 AND called_at > $5::bigint - $3::bigint
            ORDER BY called_at, seq LIMIT 1) AS first_seq
    FROM ring r
  ), verdict AS (
    SELECT d.*, d.slot_count >= $2::integer AND (d.deciding_at IS NULL OR d.deciding_at <= $5::bigint - $3::bigint) AS accepted
    FROM decision d
  ), slots AS (
    INSERT INTO call_budget_slots (budget_key, slot, seq, called_at)
    SELECT $1, u.seq % v.slot_count, u.seq, v.stored_at
    FROM verdict v CROSS JOIN LATERAL generate_series(v.next_seq, v.next_seq + $4::integer - 1) AS u (seq)
    WHERE v.accepted
    ON CONFLICT (budget_key, slot) DO UPDATE SET seq = excluded.seq, called_at = excluded.called_at
  ), moved AS (
    INSERT INTO call_budgets (budget_key, slot_count, next_seq, newest_at)
    SELECT $1, v.slot_count, v.next_seq + $4::integer, v.stored_at FROM verdict v WHERE v.accepted
    ON CONFLICT (budget_key) DO UPDATE SET next_seq = excluded.next_seq, newest_at = excluded.newest_at
  )
  SELECT slot_count, next_seq, deciding_at, first_seq, accepted FROM verdict`;

/** Turns off the commit's WAL flush and queues on the budget key's advisory lock (see `spend`). */
const LOCK = `SELECT set_config('synchronous_commit', 'off', true),
                    pg_advisory_xact_lock(hashtextextended('intercom-connector:budget:' || coalesce(current_schema(), '') || ':' || $1, 0))`;

/** What {@link SPEND} answers (BIGINTs parse to numbers on the store's pool). */
interface SpendRow {
  slot_count: number;
  next_seq: number;
  deciding_at: number | null;
  first_seq: number | null;
  accepted: boolean;
}

/**
 * Sliding-window budgets as rings (see `../budget-ring.ts`) in PostgreSQL: a spend reads the head,
 * the one slot that decides it and the oldest unit inside the window (for `remaining`), and writes
 * `cost` slots and the head, whatever the limit, in one statement. The
 * check and the spend share one transaction that first takes an advisory lock on the budget key:
 * spends of one key queue (across instances and processes), spends of different keys do not, and
 * the limit is never passed.
 *
 * @example
 * await new PostgresCallBudget(pool).spend("connection:c1", { limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export class PostgresCallBudget {
  constructor(private readonly pool: PostgresPool) {}

  /** The key's minutes from `since` on, oldest first. */
  async history(key: string, since: Date): Promise<BudgetMinute[]> {
    assertNonEmpty(key, "key");
    const rows = await this.pool.query<{ minute: number; spent: number; refused: number }>(
      "SELECT minute, spent, refused FROM call_budget_minutes WHERE budget_key = $1 AND minute >= $2 ORDER BY minute",
      [key, budgetMinuteOf(since.getTime())],
    );
    return rows.rows.map((row) => ({ minute: new Date(Number(row.minute)), spent: row.spent, refused: row.refused }));
  }

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
      await client.query({ name: "icc-budget-lock", text: LOCK, values: [key] });
      // Named: each connection plans the statement once, not on every spend (planning the CTE
      // costs about twice what running it does).
      const spendQuery = { name: "icc-budget-spend", text: SPEND, values: [key, limit, windowMs, cost, nowMs] };
      let row = (await client.query<SpendRow>(spendQuery)).rows[0];
      // A larger limit needs a larger ring first; a smaller one decides on the ring as it is.
      if (row !== undefined && row.slot_count < limit) {
        await resize(client, key, limit);
        row = (await client.query<SpendRow>(spendQuery)).rows[0];
      }
      if (row === undefined) throw new Error("the budget statement returned no row");
      const decision = ringDecision({ nextSeq: row.next_seq, decidingAt: row.deciding_at, firstSeqInWindow: row.first_seq }, { limit, windowMs, cost, nowMs });
      // The statement and the shared arithmetic decide alike; a difference is a bug in one of them.
      if (decision.allowed !== row.accepted) throw new Error("the budget statement and ringDecision disagree");
      // Accepted: at most `limit` units are inside the window, so a larger ring can shrink now.
      if (decision.allowed && row.slot_count > limit) await resize(client, key, limit);
      // Counted in the spend's transaction, so the history never disagrees with the decisions.
      await client.query({
        name: "icc-budget-minute",
        text: `INSERT INTO call_budget_minutes (budget_key, minute, spent, refused) VALUES ($1, $2, $3, $4)
               ON CONFLICT (budget_key, minute) DO UPDATE SET spent = call_budget_minutes.spent + excluded.spent, refused = call_budget_minutes.refused + excluded.refused`,
        values: [key, budgetMinuteOf(nowMs), decision.allowed ? cost : 0, decision.allowed ? 0 : cost],
      });
      return decision;
    });
  }
}

/**
 * Rebuilds a key's ring with `slotCount` slots, keeping its newest units (when that is exact:
 * `../budget-ring.ts`). O(ring size), once per change of limit, under the caller's lock.
 */
async function resize(client: Queryable, key: string, slotCount: number): Promise<void> {
  await client.query(
    `WITH kept AS (
       DELETE FROM call_budget_slots WHERE budget_key = $1 RETURNING seq, called_at
     ), newest AS (
       SELECT seq, called_at FROM kept ORDER BY seq DESC LIMIT $2::integer
     ), placed AS (
       INSERT INTO call_budget_slots (budget_key, slot, seq, called_at) SELECT $1, seq % $2::integer, seq, called_at FROM newest
     )
     UPDATE call_budgets SET slot_count = $2::integer WHERE budget_key = $1`,
    [key, slotCount],
  );
}
