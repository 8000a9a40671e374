import { budgetMinuteOf, ringDecision, ringSlot } from "../budget-ring.js";
import type { BudgetDecision, BudgetMinute, BudgetSpend } from "../records.js";
import { assertBudgetSpend, assertNonEmpty } from "../validation.js";
import type Database from "better-sqlite3";
import { type SqliteDatabase, StatementCache } from "./database.js";

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
 * Sliding-window budgets as rings (see `../budget-ring.ts`) in SQLite: a spend reads the head
 * and the one slot that decides it (an admitted one also seeks the oldest unit inside the window,
 * for `remaining`), and writes `cost` slots and the head, whatever the limit. The
 * check and the spend share one `BEGIN IMMEDIATE` transaction, so processes on the same file
 * never admit more than the limit. Exact, like a log, where a counter or GCRA would admit
 * `limit + 1` within some window.
 *
 * @example
 * new SqliteCallBudget(db).spend("connection:c1", { limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export class SqliteCallBudget {
  private readonly statements: StatementCache;
  /** Built once: wrapping a function in a transaction on every spend costs as much as a statement. */
  private readonly spendInTransaction: Database.Transaction<(key: string, spend: BudgetSpend) => BudgetDecision>;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
    this.spendInTransaction = db.transaction((key: string, spend: BudgetSpend) => this.spendNow(key, spend));
  }

  spend(key: string, spend: BudgetSpend): BudgetDecision {
    assertNonEmpty(key, "key");
    assertBudgetSpend(spend);
    return withoutFsync(this.statements, () => this.spendInTransaction.immediate(key, spend));
  }

  /** The key's minutes from `since` on, oldest first. */
  history(key: string, since: Date): BudgetMinute[] {
    assertNonEmpty(key, "key");
    return this.statements
      .get<[string, number], { minute: number; spent: number; refused: number }>(
        "SELECT minute, spent, refused FROM call_budget_minutes WHERE budget_key = ? AND minute >= ? ORDER BY minute",
      )
      .all(key, budgetMinuteOf(since.getTime()))
      .map((row) => ({ minute: new Date(row.minute), spent: row.spent, refused: row.refused }));
  }

  private spendNow(key: string, spend: BudgetSpend): BudgetDecision {
    const decision = this.decide(key, spend);
    // Counted in the spend's transaction, so the history never disagrees with the decisions.
    this.statements
      .get<[string, number, number, number]>(
        "INSERT INTO call_budget_minutes (budget_key, minute, spent, refused) VALUES (?, ?, ?, ?) ON CONFLICT (budget_key, minute) DO UPDATE SET spent = spent + excluded.spent, refused = refused + excluded.refused",
      )
      .run(key, budgetMinuteOf(spend.nowMs), decision.allowed ? spend.cost : 0, decision.allowed ? 0 : spend.cost);
    return decision;
  }

  private decide(key: string, spend: BudgetSpend): BudgetDecision {
    const { limit, windowMs, cost, nowMs } = spend;
    let head = this.readHead(key, limit, cost);
    // A larger limit needs a larger ring first; a smaller one decides on the ring as it is.
    if (head !== undefined && head.slotCount < limit) {
      this.resize(key, limit);
      head = this.readHead(key, limit, cost);
    }
    const slotCount = head?.slotCount ?? limit;
    const nextSeq = head?.nextSeq ?? 0;
    const decidingAt = head?.decidingAt ?? null;
    // Refused: the deciding unit alone says how long to wait, nothing else is read.
    if (decidingAt !== null && decidingAt > nowMs - windowMs) return ringDecision({ nextSeq, decidingAt, firstSeqInWindow: null }, spend);
    // A spend at t counts the units in (t - window, t]; the oldest of them gives "remaining".
    const firstSeqInWindow =
      this.statements
        .get<[string, number], { seq: number }>("SELECT seq FROM call_budget_slots WHERE budget_key = ? AND called_at > ? ORDER BY called_at, seq LIMIT 1")
        .get(key, nowMs - windowMs)?.seq ?? null;
    const decision = ringDecision({ nextSeq, decidingAt, firstSeqInWindow }, spend);
    const at = Math.max(nowMs, head?.newestAt ?? nowMs);
    const write = this.statements.get<[string, number, number, number]>(
      "INSERT INTO call_budget_slots (budget_key, slot, seq, called_at) VALUES (?, ?, ?, ?) ON CONFLICT (budget_key, slot) DO UPDATE SET seq = excluded.seq, called_at = excluded.called_at",
    );
    for (let seq = nextSeq; seq < nextSeq + cost; seq++) write.run(key, ringSlot(seq, slotCount), seq, at);
    if (head === undefined) {
      this.statements.get<[string, number, number, number]>("INSERT INTO call_budgets (budget_key, slot_count, next_seq, newest_at) VALUES (?, ?, ?, ?)").run(key, slotCount, nextSeq + cost, at);
    } else {
      this.statements.get<[number, number, string]>("UPDATE call_budgets SET next_seq = ?, newest_at = ? WHERE budget_key = ?").run(nextSeq + cost, at, key);
    }
    // Accepted: at most `limit` units are inside the window, so a larger ring can shrink now.
    if (slotCount > limit) this.resize(key, limit);
    return decision;
  }

  /**
   * The key's head and, in the same statement, when its deciding unit (unit
   * `nextSeq + cost - 1 - limit`, see `../budget-ring.ts`) was stored: null if it never was, and
   * meaningless while the ring is smaller than `limit`.
   */
  private readHead(key: string, limit: number, cost: number): Head | undefined {
    return this.statements
      .get<[number, number, number, number, string], Head>(
        `SELECT h.slot_count AS slotCount, h.next_seq AS nextSeq, h.newest_at AS newestAt,
                (SELECT s.called_at FROM call_budget_slots s
                 WHERE s.budget_key = h.budget_key AND h.next_seq + ? - 1 - ? >= 0 AND s.slot = (h.next_seq + ? - 1 - ?) % h.slot_count) AS decidingAt
         FROM call_budgets h WHERE h.budget_key = ?`,
      )
      .get(cost, limit, cost, limit, key);
  }

  /**
   * Rebuilds a key's ring with `slotCount` slots, keeping its newest units (when that is exact:
   * `../budget-ring.ts`). O(ring size), once per change of limit.
   */
  private resize(key: string, slotCount: number): void {
    const kept = this.statements
      .get<[string, number], { seq: number; called_at: number }>("SELECT seq, called_at FROM call_budget_slots WHERE budget_key = ? ORDER BY seq DESC LIMIT ?")
      .all(key, slotCount);
    this.statements.get<[string]>("DELETE FROM call_budget_slots WHERE budget_key = ?").run(key);
    const insert = this.statements.get<[string, number, number, number]>("INSERT INTO call_budget_slots (budget_key, slot, seq, called_at) VALUES (?, ?, ?, ?)");
    for (const unit of kept) insert.run(key, ringSlot(unit.seq, slotCount), unit.seq, unit.called_at);
    this.statements.get<[number, string]>("UPDATE call_budgets SET slot_count = ? WHERE budget_key = ?").run(slotCount, key);
  }
}

/** A budget's head row, with its deciding unit's time. */
interface Head {
  slotCount: number;
  nextSeq: number;
  newestAt: number;
  decidingAt: number | null;
}
