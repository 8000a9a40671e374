import { StoreError } from "../errors.js";
import type { CommitPollResult, NewSubscription, Subscription, SubscriptionFilter, SubscriptionPollCommit, SubscriptionState } from "../records.js";
import { newSubscriptionRow, planPollCommit } from "../rows/subscriptions.js";
import { assertTime, polledSinceOf, serializePollCommit } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";
import type { SqliteOutbox } from "./outbox.js";
import { type SubscriptionRow, toSubscription } from "./rows.js";

/**
 * Trigger subscriptions in SQLite: cursors, schedules, leases, and the poll commits.
 *
 * @example
 * const subscriptions = new SqliteSubscriptions(db, outbox, Date.now);
 * subscriptions.commitPolls([{ subscriptionId: id, commit: { expectedCursorVersion: 0, newCursor: "{}", events: [] } }]);
 */
export class SqliteSubscriptions {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly outbox: SqliteOutbox,
    private readonly clock: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  create(input: NewSubscription): Subscription {
    const row = newSubscriptionRow(input, this.clock);
    return immediate(this.db, () => {
      const connection = this.statements.get<[string], { id: string }>("SELECT id FROM connections WHERE id = ?").get(input.connectionId);
      if (connection === undefined) throw new StoreError("not_found", `no connection ${input.connectionId}`);
      this.statements
        .get<[SubscriptionRow]>(
          `INSERT INTO trigger_subscriptions (id, connection_id, trigger_id, cursor, cursor_version, next_poll_at, lease_owner, lease_until, state, created_at, kind, last_polled_at, filters)
           VALUES (@id, @connection_id, @trigger_id, @cursor, @cursor_version, @next_poll_at, @lease_owner, @lease_until, @state, @created_at, @kind, @last_polled_at, @filters)`,
        )
        .run(row);
      return toSubscription(row);
    });
  }

  get(id: string): Subscription | null {
    const row = this.row(id);
    return row === undefined ? null : toSubscription(row);
  }

  list(filter: SubscriptionFilter = {}): Subscription[] {
    return this.statements
      .get<[{ connection: string | null; trigger: string | null; state: string | null; polledSince: number | null }], SubscriptionRow>(
        `SELECT * FROM trigger_subscriptions
         WHERE coalesce(@connection = connection_id, 1) AND coalesce(@trigger = trigger_id, 1) AND coalesce(@state = state, 1)
           AND (@polledSince IS NULL OR kind <> 'polling' OR last_polled_at >= @polledSince)
         ORDER BY created_at, id`,
      )
      .all({ connection: filter.connectionId ?? null, trigger: filter.triggerId ?? null, state: filter.state ?? null, polledSince: polledSinceOf(filter) })
      .map(toSubscription);
  }

  recordPolled(id: string, at: Date): boolean {
    const time = assertTime(at, "at");
    return immediate(
      this.db,
      () =>
        this.statements
          .get<[number, string, number]>("UPDATE trigger_subscriptions SET last_polled_at = ? WHERE id = ? AND kind = 'polling' AND last_polled_at < ?")
          .run(time, id, time).changes > 0,
    );
  }

  expireIdlePolling(polledBefore: Date): number {
    const time = assertTime(polledBefore, "polledBefore");
    // The outbox, dedupe keys (and a webhook row, which a polling subscription has not) cascade.
    return immediate(this.db, () => this.statements.get<[number]>("DELETE FROM trigger_subscriptions WHERE kind = 'polling' AND last_polled_at < ?").run(time).changes);
  }

  setState(id: string, state: SubscriptionState): Subscription | null {
    if (state !== "active" && state !== "stopped") throw new StoreError("invalid_argument", "state must be active or stopped");
    return immediate(this.db, () => {
      const changed = this.statements.get<[SubscriptionState, string]>("UPDATE trigger_subscriptions SET state = ? WHERE id = ?").run(state, id).changes;
      return changed === 0 ? null : this.get(id);
    });
  }

  delete(id: string): boolean {
    return immediate(this.db, () => this.statements.get<[string]>("DELETE FROM trigger_subscriptions WHERE id = ?").run(id).changes > 0);
  }

  release(id: string, owner: string, nextPollAt: Date): boolean {
    return immediate(
      this.db,
      () =>
        this.statements
          .get<[number, string, string]>(
            "UPDATE trigger_subscriptions SET lease_owner = NULL, lease_until = NULL, next_poll_at = ? WHERE id = ? AND lease_owner = ?",
          )
          .run(nextPollAt.getTime(), id, owner).changes > 0,
    );
  }

  /**
   * The emit step, for a batch: every commit checked (state, lease, cursor version) and written
   * (events, cursor) in input order under one `BEGIN IMMEDIATE`, so a crash or any throw leaves
   * all of them or none. The write lock covers the whole database, so outbox ids grow in commit
   * order and concurrent batches cannot interleave. Everything is serialised before the
   * transaction begins: a malformed commit throws without taking the lock.
   */
  commitPolls(commits: ReadonlyArray<SubscriptionPollCommit>): CommitPollResult[] {
    const prepared = commits.map(({ subscriptionId, commit }) => ({ id: subscriptionId, commit, events: serializePollCommit(commit) }));
    if (prepared.length === 0) return [];
    return immediate(this.db, () =>
      prepared.map(({ id, commit, events }): CommitPollResult => {
        // Read inside the transaction, commit by commit: one named twice sees its first commit.
        const plan = planPollCommit(this.row(id), commit);
        if (plan.refusal !== null) return plan.refusal;
        const appended = this.outbox.insertSerialized(id, events);
        this.statements
          .get<[{ cursor: string; version: number; nextPollAt: number; release: number; id: string }]>(
            `UPDATE trigger_subscriptions
             SET cursor = @cursor, cursor_version = @version, next_poll_at = @nextPollAt,
                 lease_owner = CASE WHEN @release THEN NULL ELSE lease_owner END,
                 lease_until = CASE WHEN @release THEN NULL ELSE lease_until END
             WHERE id = @id`,
          )
          .run({ cursor: commit.newCursor, version: plan.cursorVersion, nextPollAt: plan.nextPollAt, release: plan.releaseLease ? 1 : 0, id });
        return { committed: true, cursorVersion: plan.cursorVersion, ...appended };
      }),
    );
  }

  private row(id: string): SubscriptionRow | undefined {
    return this.statements.get<[string], SubscriptionRow>("SELECT * FROM trigger_subscriptions WHERE id = ?").get(id);
  }
}
