import { StoreError } from "../errors.js";
import { DEFAULT_DELIVERY_RETRY_POLICY } from "../policies.js";
import type {
  AppendResult,
  DeliveryAttemptRecord,
  DeliveryFailureOutcome,
  DeliveryRetryPolicy,
  EventStatus,
  NewDeliveryAttempt,
  NewEvent,
  OutboxEvent,
  OutboxStats,
  OutboxTotals,
  PruneReport,
  RetentionPolicy,
} from "../records.js";
import { dedupeKeyCutoffs, failedDelivery } from "../rows/outbox.js";
import { assertNonEmpty, assertPositiveInteger, assertRetentionPolicy, assertTime, serializeEvents } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";
import { type OutboxRow, toOutboxEvent } from "./rows.js";

/** Rows deleted per transaction while pruning, so the write lock is never held for long. */
const PRUNE_BATCH = 5_000;

/**
 * The outbox and its dedupe keys in SQLite.
 *
 * @example
 * const outbox = new SqliteOutbox(db, Date.now);
 * outbox.append(subscriptionId, [{ dedupeKey: "c1", payload: { id: "c1" } }]);
 */
export class SqliteOutbox {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  /** Inserts events for an existing subscription, in its own transaction. */
  append(subscriptionId: string, events: readonly NewEvent[]): AppendResult {
    const serialized = serializeEvents(events);
    return immediate(this.db, () => {
      const exists = this.statements.get<[string], { id: string }>("SELECT id FROM trigger_subscriptions WHERE id = ?").get(subscriptionId);
      if (exists === undefined) throw new StoreError("not_found", `no subscription ${subscriptionId}`);
      return this.insertSerialized(subscriptionId, serialized);
    });
  }

  /**
   * Inserts already-serialised events; the caller holds the transaction. A key already in
   * `emitted_keys` (or, defensively, in the outbox) is a duplicate.
   */
  insertSerialized(subscriptionId: string, events: ReadonlyArray<{ dedupeKey: string; payload: string }>): AppendResult {
    const now = this.clock();
    const result: AppendResult = { inserted: [], duplicates: [] };
    const remember = this.statements.get<[string, string, number]>(
      "INSERT INTO emitted_keys (subscription_id, dedupe_key, emitted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    );
    const insert = this.statements.get<[string, string, string, number, number], { id: number }>(
      `INSERT INTO outbox (subscription_id, dedupe_key, payload, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?)
       ON CONFLICT (subscription_id, dedupe_key) DO NOTHING
       RETURNING id`,
    );
    for (const event of events) {
      const fresh = remember.run(subscriptionId, event.dedupeKey, now).changes > 0;
      const row = fresh ? insert.get(subscriptionId, event.dedupeKey, event.payload, now, now) : undefined;
      if (row === undefined) result.duplicates.push(event.dedupeKey);
      else result.inserted.push({ id: row.id, dedupeKey: event.dedupeKey });
    }
    return result;
  }

  pending(subscriptionId: string, limit: number): OutboxEvent[] {
    assertPositiveInteger(limit, "limit");
    return this.statements
      .get<[string, number], OutboxRow>("SELECT * FROM outbox WHERE subscription_id = ? AND status = 'pending' ORDER BY id LIMIT ?")
      .all(subscriptionId, limit)
      .map(toOutboxEvent);
  }

  list(subscriptionId: string, options: { status?: EventStatus; afterId?: number; limit: number }): OutboxEvent[] {
    assertPositiveInteger(options.limit, "limit");
    return this.statements
      .get<[string, number, EventStatus | null, EventStatus | null, number], OutboxRow>(
        "SELECT * FROM outbox WHERE subscription_id = ? AND id > ? AND (? IS NULL OR status = ?) ORDER BY id LIMIT ?",
      )
      .all(subscriptionId, options.afterId ?? 0, options.status ?? null, options.status ?? null, options.limit)
      .map(toOutboxEvent);
  }

  ack(subscriptionId: string, ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    if (!ids.every((id) => Number.isSafeInteger(id))) throw new StoreError("invalid_argument", "event ids must be integers");
    // One JSON parameter instead of one per id: no limit on host parameters to run into.
    return immediate(this.db, () =>
      this.statements
        .get<[number, string, string]>(
          `UPDATE outbox SET status = 'delivered', delivered_at = ?
           WHERE subscription_id = ? AND status = 'pending' AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(this.clock(), subscriptionId, JSON.stringify(ids)).changes,
    );
  }

  recordFailure(subscriptionId: string, eventId: number, error: string, policy: DeliveryRetryPolicy = DEFAULT_DELIVERY_RETRY_POLICY): DeliveryFailureOutcome | null {
    return immediate(this.db, () => {
      const row = this.statements
        .get<[number, string], OutboxRow>("SELECT * FROM outbox WHERE id = ? AND subscription_id = ? AND status = 'pending'")
        .get(eventId, subscriptionId);
      if (row === undefined) return null;
      const failure = failedDelivery(row, policy, this.clock());
      this.statements
        .get<[EventStatus, number, number, string, number]>("UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")
        .run(failure.status, failure.attempts, failure.nextAttemptAt, error, eventId);
      return failure.outcome;
    });
  }

  redrive(subscriptionId: string, eventId: number): OutboxEvent | null {
    if (!Number.isSafeInteger(eventId)) throw new StoreError("invalid_argument", "eventId must be an integer");
    return immediate(this.db, () => {
      const now = this.clock();
      const row = this.statements
        .get<[number, number, number, string], OutboxRow>(
          `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, retry_from = ?
           WHERE id = ? AND subscription_id = ? AND status = 'dead'
           RETURNING *`,
        )
        .get(now, now, eventId, subscriptionId);
      return row === undefined ? null : toOutboxEvent(row);
    });
  }

  stats(subscriptionId: string): OutboxStats {
    const stats: OutboxStats = { pending: 0, delivered: 0, dead: 0 };
    const rows = this.statements
      .get<[string], { status: EventStatus; n: number }>("SELECT status, count(*) AS n FROM outbox WHERE subscription_id = ? GROUP BY status")
      .all(subscriptionId);
    for (const row of rows) stats[row.status] = row.n;
    return stats;
  }

  /** Records one delivery attempt of a subscription's event; `false` when that event is not in its outbox. */
  recordAttempt(attempt: NewDeliveryAttempt): boolean {
    assertNonEmpty(attempt.subscriptionId, "subscriptionId");
    const at = assertTime(attempt.attemptedAt, "attemptedAt");
    return (
      this.statements
        .get<[string, number, number, number | null, number, string | null, number, string]>(
          `INSERT INTO delivery_attempts (subscription_id, event_id, attempted_at, status_code, latency_ms, error)
           SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM outbox WHERE id = ? AND subscription_id = ?)`,
        )
        .run(attempt.subscriptionId, attempt.eventId, at, attempt.statusCode, Math.max(0, Math.round(attempt.latencyMs)), attempt.error, attempt.eventId, attempt.subscriptionId).changes === 1
    );
  }

  /** A subscription's delivery attempts in id order after `afterId` (one event's, with `eventId`). */
  attempts(subscriptionId: string, options: { eventId?: number; afterId?: number; limit: number }): DeliveryAttemptRecord[] {
    assertPositiveInteger(options.limit, "limit");
    return this.statements
      .get<[string, number, number | null, number | null, number], AttemptRow>(
        `SELECT id, subscription_id, event_id, attempted_at, status_code, latency_ms, error FROM delivery_attempts
         WHERE subscription_id = ? AND id > ? AND (? IS NULL OR event_id = ?) ORDER BY id LIMIT ?`,
      )
      .all(subscriptionId, options.afterId ?? 0, options.eventId ?? null, options.eventId ?? null, options.limit)
      .map(toAttempt);
  }

  totals(): OutboxTotals {
    const row = this.statements
      .get<[], { pending: number | null; dead: number | null }>(
        "SELECT sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending, sum(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead FROM outbox",
      )
      .get();
    return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
  }

  prune(policy: RetentionPolicy): PruneReport {
    assertRetentionPolicy(policy);
    const now = this.clock();
    return {
      deliveredEvents: this.deleteInBatches(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'delivered' AND delivered_at <= ? LIMIT ?)",
        now - policy.deliveredEventsMs,
      ),
      // A dead event's next_attempt_at is when it died (see failedDelivery): counted from its
      // creation, one whose retries outlasted the period would go the moment it died.
      deadEvents: this.deleteInBatches(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'dead' AND next_attempt_at <= ? LIMIT ?)",
        now - policy.deadEventsMs,
      ),
      dedupeKeys: this.pruneDedupeKeys(now, policy.dedupeKeysMs),
      callLog: this.pruneCallBudgets(now - policy.callLogMs),
    };
  }

  /**
   * Forgets the budgets nobody spent from since `cutoff` (every unit of theirs is older), slots
   * first, then heads left without slots; counts the slots. A spend between two batches leaves a
   * ring with old units missing, which reads as never spent: right, since they were outside any
   * window (`callLogMs` is at least the longest budget window).
   */
  private pruneCallBudgets(cutoff: number): number {
    const slots = this.deleteInBatches(
      `DELETE FROM call_budget_slots WHERE (budget_key, slot) IN (
         SELECT s.budget_key, s.slot FROM call_budgets b JOIN call_budget_slots s ON s.budget_key = b.budget_key WHERE b.newest_at <= ? LIMIT ?)`,
      cutoff,
    );
    this.deleteInBatches(
      `DELETE FROM call_budgets WHERE budget_key IN (
         SELECT b.budget_key FROM call_budgets b
         WHERE b.newest_at <= ? AND NOT EXISTS (SELECT 1 FROM call_budget_slots s WHERE s.budget_key = b.budget_key)
         LIMIT ?)`,
      cutoff,
    );
    // The history's minutes go with the same age (a minute ends 60 s after its start).
    this.deleteInBatches(
      "DELETE FROM call_budget_minutes WHERE (budget_key, minute) IN (SELECT budget_key, minute FROM call_budget_minutes WHERE minute <= ? - 60000 LIMIT ?)",
      cutoff,
    );
    return slots;
  }

  /**
   * Forgets emitted keys older than `keepMs` by the clock and by their subscription's newest key
   * (see `dedupeKeyCutoffs`), except those whose event is still in the outbox: forgetting one of
   * those would let the event in twice. One subscription at a time, in batches.
   */
  private pruneDedupeKeys(now: number, keepMs: number): number {
    const subscriptions = this.statements
      .get<[number], { subscription_id: string; newest: number }>(
        "SELECT subscription_id, max(emitted_at) AS newest FROM emitted_keys GROUP BY subscription_id HAVING min(emitted_at) <= ?",
      )
      .all(now - keepMs);
    const remove = this.statements.get<[string, string, number, number]>(
      `DELETE FROM emitted_keys WHERE subscription_id = ? AND dedupe_key IN (
         SELECT k.dedupe_key FROM emitted_keys k
         WHERE k.subscription_id = ? AND k.emitted_at <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subscription_id = k.subscription_id AND o.dedupe_key = k.dedupe_key)
         LIMIT ?)`,
    );
    let total = 0;
    for (const { subscriptionId, cutoff } of dedupeKeyCutoffs(subscriptions, now, keepMs)) {
      for (;;) {
        const changes = immediate(this.db, () => remove.run(subscriptionId, subscriptionId, cutoff, PRUNE_BATCH).changes);
        total += changes;
        if (changes < PRUNE_BATCH) break;
      }
    }
    return total;
  }

  private deleteInBatches(sql: string, cutoff: number): number {
    const statement = this.statements.get<[number, number]>(sql);
    let total = 0;
    for (;;) {
      const changes = immediate(this.db, () => statement.run(cutoff, PRUNE_BATCH).changes);
      total += changes;
      if (changes < PRUNE_BATCH) return total;
    }
  }
}

/** A `delivery_attempts` row. */
interface AttemptRow {
  id: number;
  subscription_id: string;
  event_id: number;
  attempted_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

function toAttempt(row: AttemptRow): DeliveryAttemptRecord {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    attemptedAt: new Date(row.attempted_at),
    statusCode: row.status_code,
    latencyMs: row.latency_ms,
    error: row.error,
  };
}
