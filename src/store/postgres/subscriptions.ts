import { StoreError } from "../errors.js";
import type { CommitPollResult, NewSubscription, Subscription, SubscriptionFilter, SubscriptionPollCommit, SubscriptionState } from "../records.js";
import { mostOverdueFirst, newSubscriptionRow, planPollCommit } from "../rows/subscriptions.js";
import { assertClaim, assertTime, polledSinceOf, serializePollCommit } from "../validation.js";
import { FOREIGN_KEY_VIOLATION, hasSqlState, type PostgresPool, transaction } from "./database.js";
import type { PostgresOutbox } from "./outbox.js";
import { type SubscriptionRow, toSubscription } from "./rows.js";

/**
 * Trigger subscriptions in PostgreSQL: cursors, schedules, leases, and the poll commits.
 *
 * @example
 * const subscriptions = new PostgresSubscriptions(pool, outbox, Date.now);
 * await subscriptions.commitPolls([{ subscriptionId: id, commit: { expectedCursorVersion: 0, newCursor: "{}", events: [] } }]);
 */
export class PostgresSubscriptions {
  constructor(
    private readonly pool: PostgresPool,
    private readonly outbox: PostgresOutbox,
    private readonly clock: () => number,
  ) {}

  async create(input: NewSubscription): Promise<Subscription> {
    const row = newSubscriptionRow(input, this.clock);
    try {
      // The foreign key checks the connection exists, atomically with the insert.
      await this.pool.query(
        `INSERT INTO trigger_subscriptions (id, connection_id, trigger_id, cursor, cursor_version, next_poll_at, lease_owner, lease_until, state, created_at, kind, last_polled_at, filters)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [row.id, row.connection_id, row.trigger_id, row.cursor, row.cursor_version, row.next_poll_at, row.lease_owner, row.lease_until, row.state, row.created_at, row.kind, row.last_polled_at, row.filters],
      );
    } catch (error) {
      if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) throw new StoreError("not_found", `no connection ${input.connectionId}`);
      throw error;
    }
    return toSubscription(row);
  }

  async get(id: string): Promise<Subscription | null> {
    const row = (await this.pool.query<SubscriptionRow>("SELECT * FROM trigger_subscriptions WHERE id = $1", [id])).rows[0];
    return row === undefined ? null : toSubscription(row);
  }

  async list(filter: SubscriptionFilter = {}): Promise<Subscription[]> {
    const rows = await this.pool.query<SubscriptionRow>(
      `SELECT * FROM trigger_subscriptions
       WHERE ($1::text IS NULL OR connection_id = $1) AND ($2::text IS NULL OR trigger_id = $2) AND ($3::text IS NULL OR state = $3)
         AND ($4::bigint IS NULL OR kind <> 'polling' OR last_polled_at >= $4)
       ORDER BY created_at, id COLLATE "C"`,
      [filter.connectionId ?? null, filter.triggerId ?? null, filter.state ?? null, polledSinceOf(filter)],
    );
    return rows.rows.map(toSubscription);
  }

  async recordPolled(id: string, at: Date): Promise<boolean> {
    const time = assertTime(at, "at");
    const result = await this.pool.query("UPDATE trigger_subscriptions SET last_polled_at = $1 WHERE id = $2 AND kind = 'polling' AND last_polled_at < $1", [time, id]);
    return (result.rowCount ?? 0) > 0;
  }

  async expireIdlePolling(polledBefore: Date): Promise<number> {
    const time = assertTime(polledBefore, "polledBefore");
    // The outbox and dedupe keys cascade.
    return (await this.pool.query("DELETE FROM trigger_subscriptions WHERE kind = 'polling' AND last_polled_at < $1", [time])).rowCount ?? 0;
  }

  async setState(id: string, state: SubscriptionState): Promise<Subscription | null> {
    if (state !== "active" && state !== "stopped") throw new StoreError("invalid_argument", "state must be active or stopped");
    const row = (await this.pool.query<SubscriptionRow>("UPDATE trigger_subscriptions SET state = $1 WHERE id = $2 RETURNING *", [state, id])).rows[0];
    return row === undefined ? null : toSubscription(row);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM trigger_subscriptions WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  /**
   * Leases due webhook subscriptions in one statement (`claimDueWebhookPolls`).
   * `FOR UPDATE SKIP LOCKED` makes concurrent claims (other instances, other processes) pass over
   * the rows another claim is taking instead of waiting for them, and PostgreSQL re-checks a row
   * that changed since the statement began, so a lease just taken elsewhere is never taken again.
   */
  async claimDueWebhookPolls(owner: string, options: { limit: number; leaseMs: number }): Promise<Subscription[]> {
    assertClaim(owner, options);
    const now = this.clock();
    const rows = await this.pool.query<SubscriptionRow>(
      `WITH due AS (
         SELECT s.id FROM trigger_subscriptions s
         WHERE s.state = 'active' AND s.next_poll_at <= $3 AND (s.lease_until IS NULL OR s.lease_until <= $3)
           AND EXISTS (SELECT 1 FROM webhooks w WHERE w.subscription_id = s.id)
         ORDER BY s.next_poll_at, s.id COLLATE "C" LIMIT $4
         FOR UPDATE OF s SKIP LOCKED)
       UPDATE trigger_subscriptions t SET lease_owner = $1, lease_until = $2
       FROM due WHERE t.id = due.id
       RETURNING t.*`,
      [owner, now + options.leaseMs, now, options.limit],
    );
    return mostOverdueFirst(rows.rows);
  }

  async release(id: string, owner: string, nextPollAt: Date): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE trigger_subscriptions SET lease_owner = NULL, lease_until = NULL, next_poll_at = $1 WHERE id = $2 AND lease_owner = $3",
      [nextPollAt.getTime(), id, owner],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * The emit step, for a batch, in one transaction: first locks every named subscription's row
   * (`FOR UPDATE`) in one statement, in id order (`COLLATE "C"`: byte order, whatever the
   * database's collation), so two batches over overlapping subscriptions queue instead of
   * deadlocking; then checks and writes each commit in input order on the locked rows. A
   * concurrent commit of the same subscription waits for the lock, then sees the new version and
   * is refused. Holding the row lock while inserting keeps outbox ids in commit order per
   * subscription (see `PostgresOutbox.insertSerialized`). Any throw rolls everything back.
   */
  async commitPolls(commits: ReadonlyArray<SubscriptionPollCommit>): Promise<CommitPollResult[]> {
    const prepared = commits.map(({ subscriptionId, commit }) => ({ id: subscriptionId, commit, events: serializePollCommit(commit) }));
    if (prepared.length === 0) return [];
    const ids = [...new Set(prepared.map((entry) => entry.id))];
    return transaction(this.pool, async (client): Promise<CommitPollResult[]> => {
      const locked = await client.query<SubscriptionRow>(`SELECT * FROM trigger_subscriptions WHERE id = ANY ($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE`, [ids]);
      // What each row holds as the batch goes: a subscription named twice sees its first commit.
      const rows = new Map(locked.rows.map((row) => [row.id, row]));
      const results: CommitPollResult[] = [];
      for (const { id, commit, events } of prepared) {
        const row = rows.get(id);
        const plan = planPollCommit(row, commit);
        if (row === undefined || plan.refusal !== null) {
          results.push(plan.refusal ?? { committed: false, reason: "not_found", currentCursorVersion: null });
          continue;
        }
        const appended = await this.outbox.insertSerialized(client, id, events);
        await client.query(
          `UPDATE trigger_subscriptions
           SET cursor = $1, cursor_version = $2, next_poll_at = $3,
               lease_owner = CASE WHEN $4::boolean THEN NULL ELSE lease_owner END,
               lease_until = CASE WHEN $4::boolean THEN NULL ELSE lease_until END
           WHERE id = $5`,
          [commit.newCursor, plan.cursorVersion, plan.nextPollAt, plan.releaseLease, id],
        );
        rows.set(id, {
          ...row,
          cursor: commit.newCursor,
          cursor_version: plan.cursorVersion,
          next_poll_at: plan.nextPollAt,
          lease_owner: plan.releaseLease ? null : row.lease_owner,
          lease_until: plan.releaseLease ? null : row.lease_until,
        });
        results.push({ committed: true, cursorVersion: plan.cursorVersion, ...appended });
      }
      return results;
    });
  }
}
