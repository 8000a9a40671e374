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
import { type PostgresPool, type Queryable, transaction } from "./database.js";
import { type OutboxRow, toOutboxEvent } from "./rows.js";

/** Rows deleted per statement while pruning, so no transaction holds many row locks for long. */
const PRUNE_BATCH = 5_000;

/**
 * The outbox and its dedupe keys in PostgreSQL.
 *
 * @example
 * const outbox = new PostgresOutbox(pool, Date.now);
 * await outbox.append(subscriptionId, [{ dedupeKey: "c1", payload: { id: "c1" } }]);
 */
export class PostgresOutbox {
  constructor(
    private readonly pool: PostgresPool,
    private readonly clock: () => number,
  ) {}

  /** Inserts events for an existing subscription, in its own transaction. */
  async append(subscriptionId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    const serialized = serializeEvents(events);
    return transaction(this.pool, async (client) => {
      // The subscription's row lock orders this insert with polls' commits (see insertSerialized).
      const exists = await client.query("SELECT id FROM trigger_subscriptions WHERE id = $1 FOR UPDATE", [subscriptionId]);
      if ((exists.rowCount ?? 0) === 0) throw new StoreError("not_found", `no subscription ${subscriptionId}`);
      return this.insertSerialized(client, subscriptionId, serialized);
    });
  }

  /**
   * Inserts already-serialised events; the caller holds the transaction and the subscription's row
   * lock. The lock matters: outbox ids come from a sequence as rows are inserted, so two
   * transactions inserting for one subscription at once could commit out of id order and a
   * consumer reading "after id n" could skip the late one. A key already in `emitted_keys` (or,
   * defensively, in the outbox), or earlier in the same batch, is a duplicate.
   */
  async insertSerialized(client: Queryable, subscriptionId: string, events: ReadonlyArray<{ dedupeKey: string; payload: string }>): Promise<AppendResult> {
    const result: AppendResult = { inserted: [], duplicates: [] };
    if (events.length === 0) return result;
    const now = this.clock();
    // The first occurrence of each key, in order; two statements (not one per event) whatever the batch size.
    const firsts = new Map<string, string>();
    for (const event of events) if (!firsts.has(event.dedupeKey)) firsts.set(event.dedupeKey, event.payload);
    const remembered = await client.query<{ dedupe_key: string }>(
      `INSERT INTO emitted_keys (subscription_id, dedupe_key, emitted_at)
       SELECT $1, key, $3::bigint FROM unnest($2::text[]) WITH ORDINALITY AS batch (key, position) ORDER BY position
       ON CONFLICT DO NOTHING
       RETURNING dedupe_key`,
      [subscriptionId, [...firsts.keys()], now],
    );
    const fresh = new Set(remembered.rows.map((row) => row.dedupe_key));
    const toInsert = [...firsts].filter(([key]) => fresh.has(key));
    const ids = new Map<string, number>();
    if (toInsert.length > 0) {
      // Sorted by position, the rows draw their ids in batch order.
      const inserted = await client.query<{ id: number; dedupe_key: string }>(
        `INSERT INTO outbox (subscription_id, dedupe_key, payload, status, attempts, next_attempt_at, created_at)
         SELECT $1, key, payload, 'pending', 0, $4::bigint, $4::bigint
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS batch (key, payload, position) ORDER BY position
         ON CONFLICT (subscription_id, dedupe_key) DO NOTHING
         RETURNING id, dedupe_key`,
        [subscriptionId, toInsert.map(([key]) => key), toInsert.map(([, payload]) => payload), now],
      );
      for (const row of inserted.rows) ids.set(row.dedupe_key, row.id);
    }
    for (const event of events) {
      const id = ids.get(event.dedupeKey);
      if (id === undefined) {
        result.duplicates.push(event.dedupeKey);
      } else {
        result.inserted.push({ id, dedupeKey: event.dedupeKey });
        // A later occurrence of the key in this batch is a duplicate.
        ids.delete(event.dedupeKey);
      }
    }
    return result;
  }

  async pending(subscriptionId: string, limit: number): Promise<OutboxEvent[]> {
    assertPositiveInteger(limit, "limit");
    const rows = await this.pool.query<OutboxRow>("SELECT * FROM outbox WHERE subscription_id = $1 AND status = 'pending' ORDER BY id LIMIT $2", [
      subscriptionId,
      limit,
    ]);
    return rows.rows.map(toOutboxEvent);
  }

  async list(subscriptionId: string, options: { status?: EventStatus; afterId?: number; limit: number }): Promise<OutboxEvent[]> {
    assertPositiveInteger(options.limit, "limit");
    const afterId = options.afterId ?? 0;
    // A BIGINT parameter takes integers only; a driver error must not stand for the caller's mistake.
    if (!Number.isSafeInteger(afterId)) throw new StoreError("invalid_argument", "afterId must be an integer");
    const rows = await this.pool.query<OutboxRow>(
      "SELECT * FROM outbox WHERE subscription_id = $1 AND id > $2 AND ($3::text IS NULL OR status = $3) ORDER BY id LIMIT $4",
      [subscriptionId, afterId, options.status ?? null, options.limit],
    );
    return rows.rows.map(toOutboxEvent);
  }

  async ack(subscriptionId: string, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    if (!ids.every((id) => Number.isSafeInteger(id))) throw new StoreError("invalid_argument", "event ids must be integers");
    // One array parameter instead of one per id: no limit on parameters to run into.
    const result = await this.pool.query(
      "UPDATE outbox SET status = 'delivered', delivered_at = $1 WHERE subscription_id = $2 AND status = 'pending' AND id = ANY ($3::bigint[])",
      [this.clock(), subscriptionId, ids],
    );
    return result.rowCount ?? 0;
  }

  async recordFailure(
    subscriptionId: string,
    eventId: number,
    error: string,
    policy: DeliveryRetryPolicy = DEFAULT_DELIVERY_RETRY_POLICY,
  ): Promise<DeliveryFailureOutcome | null> {
    // No event has a non-integer id (and a BIGINT parameter would refuse one).
    if (!Number.isSafeInteger(eventId)) return null;
    return transaction(this.pool, async (client) => {
      // Locked: two failures recorded at once both count, and an ack in between is not undone.
      const row = (
        await client.query<OutboxRow>("SELECT * FROM outbox WHERE id = $1 AND subscription_id = $2 AND status = 'pending' FOR UPDATE", [eventId, subscriptionId])
      ).rows[0];
      if (row === undefined) return null;
      const failure = failedDelivery(row, policy, this.clock());
      await client.query("UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $5", [
        failure.status,
        failure.attempts,
        failure.nextAttemptAt,
        error,
        eventId,
      ]);
      return failure.outcome;
    });
  }

  async redrive(subscriptionId: string, eventId: number): Promise<OutboxEvent | null> {
    if (!Number.isSafeInteger(eventId)) throw new StoreError("invalid_argument", "eventId must be an integer");
    const now = this.clock();
    const row = (
      await this.pool.query<OutboxRow>(
        `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, retry_from = $1
         WHERE id = $2 AND subscription_id = $3 AND status = 'dead'
         RETURNING *`,
        [now, eventId, subscriptionId],
      )
    ).rows[0];
    return row === undefined ? null : toOutboxEvent(row);
  }

  async stats(subscriptionId: string): Promise<OutboxStats> {
    const stats: OutboxStats = { pending: 0, delivered: 0, dead: 0 };
    const rows = await this.pool.query<{ status: EventStatus; n: number }>("SELECT status, count(*) AS n FROM outbox WHERE subscription_id = $1 GROUP BY status", [
      subscriptionId,
    ]);
    for (const row of rows.rows) stats[row.status] = row.n;
    return stats;
  }

  /** Records one delivery attempt of a subscription's event; `false` when that event is not in its outbox. */
  async recordAttempt(attempt: NewDeliveryAttempt): Promise<boolean> {
    assertNonEmpty(attempt.subscriptionId, "subscriptionId");
    const at = assertTime(attempt.attemptedAt, "attemptedAt");
    const inserted = await this.pool.query(
      `INSERT INTO delivery_attempts (subscription_id, event_id, attempted_at, status_code, latency_ms, error)
       SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM outbox WHERE id = $2 AND subscription_id = $1)`,
      [attempt.subscriptionId, attempt.eventId, at, attempt.statusCode, Math.max(0, Math.round(attempt.latencyMs)), attempt.error],
    );
    return inserted.rowCount === 1;
  }

  /** A subscription's delivery attempts in id order after `afterId` (one event's, with `eventId`). */
  async attempts(subscriptionId: string, options: { eventId?: number; afterId?: number; limit: number }): Promise<DeliveryAttemptRecord[]> {
    assertPositiveInteger(options.limit, "limit");
    const rows = await this.pool.query<AttemptRow>(
      `SELECT id, subscription_id, event_id, attempted_at, status_code, latency_ms, error FROM delivery_attempts
       WHERE subscription_id = $1 AND id > $2 AND ($3::bigint IS NULL OR event_id = $3) ORDER BY id LIMIT $4`,
      [subscriptionId, options.afterId ?? 0, options.eventId ?? null, options.limit],
    );
    return rows.rows.map(toAttempt);
  }

  async totals(): Promise<OutboxTotals> {
    const rows = await this.pool.query<{ pending: number; dead: number }>(
      "SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM outbox",
    );
    return { pending: rows.rows[0]?.pending ?? 0, dead: rows.rows[0]?.dead ?? 0 };
  }

  async prune(policy: RetentionPolicy): Promise<PruneReport> {
    assertRetentionPolicy(policy);
    const now = this.clock();
    return {
      deliveredEvents: await this.deleteInBatches(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'delivered' AND delivered_at <= $1 LIMIT $2)",
        now - policy.deliveredEventsMs,
      ),
      // A dead event's next_attempt_at is when it died (see failedDelivery): counted from its
      // creation, one whose retries outlasted the period would go the moment it died.
      deadEvents: await this.deleteInBatches(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'dead' AND next_attempt_at <= $1 LIMIT $2)",
        now - policy.deadEventsMs,
      ),
      dedupeKeys: await this.pruneDedupeKeys(now, policy.dedupeKeysMs),
      callLog: await this.pruneCallBudgets(now - policy.callLogMs),
    };
  }

  /**
   * Forgets the budgets nobody spent from since `cutoff` (every unit of theirs is older), slots
   * first, then heads left without slots; counts the slots. A spend racing the prune (it holds
   * the budget's advisory lock, the prune does not) leaves a ring with old units missing, which
   * reads as never spent: right, since they were outside any window (`callLogMs` is at least the
   * longest budget window); a head it recreated or moved is no longer idle and stays.
   */
  private async pruneCallBudgets(cutoff: number): Promise<number> {
    const slots = await this.deleteInBatches(
      `DELETE FROM call_budget_slots WHERE (budget_key, slot) IN (
         SELECT s.budget_key, s.slot FROM call_budgets b JOIN call_budget_slots s ON s.budget_key = b.budget_key WHERE b.newest_at <= $1 LIMIT $2)`,
      cutoff,
    );
    await this.deleteInBatches(
      `DELETE FROM call_budgets WHERE budget_key IN (
         SELECT b.budget_key FROM call_budgets b
         WHERE b.newest_at <= $1 AND NOT EXISTS (SELECT 1 FROM call_budget_slots s WHERE s.budget_key = b.budget_key)
         LIMIT $2)`,
      cutoff,
    );
    // The history's minutes go with the same age (a minute ends 60 s after its start).
    await this.deleteInBatches(
      "DELETE FROM call_budget_minutes WHERE (budget_key, minute) IN (SELECT budget_key, minute FROM call_budget_minutes WHERE minute <= $1::bigint - 60000 LIMIT $2)",
      cutoff,
    );
    return slots;
  }

  /**
   * Forgets emitted keys older than `keepMs` by the clock and by their subscription's newest key
   * (see `dedupeKeyCutoffs`), except those whose event is still in the outbox: forgetting one of
   * those would let the event in twice. One subscription at a time, in batches. A commit racing
   * the prune only makes its subscription's newest key newer: the cutoff read before stays safe.
   */
  private async pruneDedupeKeys(now: number, keepMs: number): Promise<number> {
    const subscriptions = await this.pool.query<{ subscription_id: string; newest: number }>(
      "SELECT subscription_id, max(emitted_at) AS newest FROM emitted_keys GROUP BY subscription_id HAVING min(emitted_at) <= $1",
      [now - keepMs],
    );
    let total = 0;
    for (const { subscriptionId, cutoff } of dedupeKeyCutoffs(subscriptions.rows, now, keepMs)) {
      for (;;) {
        const deleted = await this.pool.query(
          `DELETE FROM emitted_keys WHERE subscription_id = $1 AND dedupe_key IN (
             SELECT k.dedupe_key FROM emitted_keys k
             WHERE k.subscription_id = $1 AND k.emitted_at <= $2
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subscription_id = k.subscription_id AND o.dedupe_key = k.dedupe_key)
             LIMIT $3)`,
          [subscriptionId, cutoff, PRUNE_BATCH],
        );
        const changes = deleted.rowCount ?? 0;
        total += changes;
        if (changes < PRUNE_BATCH) break;
      }
    }
    return total;
  }

  private async deleteInBatches(sql: string, cutoff: number): Promise<number> {
    let total = 0;
    for (;;) {
      const changes = (await this.pool.query(sql, [cutoff, PRUNE_BATCH])).rowCount ?? 0;
      total += changes;
      if (changes < PRUNE_BATCH) return total;
    }
  }
}

/** A `delivery_attempts` row (BIGINTs parse to numbers on the store's pool). */
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
    id: Number(row.id),
    subscriptionId: row.subscription_id,
    eventId: Number(row.event_id),
    attemptedAt: new Date(Number(row.attempted_at)),
    statusCode: row.status_code,
    latencyMs: row.latency_ms,
    error: row.error,
  };
}
