import { randomUUID } from "node:crypto";
import { StoreError } from "../errors.js";
import type { CommitPollResult, NewSubscription, PollCommit, Subscription } from "../records.js";
import { type SubscriptionRow, toSubscription } from "../sqlite/rows.js";
import { assertJsonText, assertTriggerId } from "../validation.js";

/**
 * A new `trigger_subscriptions` row, checked: active, unleased, at cursor version 0. Whether its
 * connection exists is the store's to check, with the insert.
 *
 * @example
 * const row = newSubscriptionRow({ connectionId, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date() }, Date.now);
 */
export function newSubscriptionRow(input: NewSubscription, clock: () => number): SubscriptionRow {
  assertTriggerId(input.triggerId);
  assertJsonText(input.cursor, "cursor");
  const kind = input.kind ?? "library";
  if (kind !== "library" && kind !== "polling") throw new StoreError("invalid_argument", "kind must be library or polling");
  if (input.lastPolledAt !== undefined && (kind !== "polling" || !Number.isFinite(input.lastPolledAt.getTime()))) {
    throw new StoreError("invalid_argument", "lastPolledAt must be a valid date, for a polling subscription");
  }
  const createdAt = clock();
  return {
    id: randomUUID(),
    connection_id: input.connectionId,
    trigger_id: input.triggerId,
    cursor: input.cursor,
    cursor_version: 0,
    next_poll_at: input.nextPollAt.getTime(),
    lease_owner: null,
    lease_until: null,
    state: "active",
    created_at: createdAt,
    kind,
    last_polled_at: kind === "polling" ? (input.lastPolledAt?.getTime() ?? createdAt) : null,
    filters: filtersText(input.filters ?? {}),
  };
}

/** The most filters a subscription keeps, and the longest name or value (ids are shorter). */
const MAX_FILTERS = 10;
const MAX_FILTER_TEXT = 255;

/**
 * A subscription's filters as the stored text: canonical JSON, names sorted, so equal filters
 * are equal text. Each name and value must be a non-empty string.
 *
 * @example
 * filtersText({ team_id: "5", tag_id: "17" }); // '{"tag_id":"17","team_id":"5"}'
 */
export function filtersText(filters: Readonly<Record<string, string>>): string {
  if (typeof filters !== "object" || filters === null || Array.isArray(filters)) throw new StoreError("invalid_argument", "filters must be an object of strings");
  const entries = Object.entries(filters);
  if (entries.length > MAX_FILTERS) throw new StoreError("invalid_argument", `filters must have at most ${MAX_FILTERS} entries`);
  for (const [name, value] of entries) {
    if (name === "" || name.length > MAX_FILTER_TEXT || typeof value !== "string" || value === "" || value.length > MAX_FILTER_TEXT) {
      throw new StoreError("invalid_argument", "each filter must be a non-empty name with a non-empty string value");
    }
  }
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * Claimed rows as callers see them, the most overdue first (RETURNING gives no order); sorts
 * `rows` in place.
 *
 * @example
 * return mostOverdueFirst(claimed.rows);
 */
export function mostOverdueFirst(rows: SubscriptionRow[]): Subscription[] {
  return rows.sort((a, b) => a.next_poll_at - b.next_poll_at || a.id.localeCompare(b.id)).map(toSubscription);
}

/**
 * What a poll commit does to its subscription's row: refused (nothing to write), or the cursor
 * version, next poll time and lease release to write with the events.
 *
 * @example
 * const plan = planPollCommit(row, commit);
 * if (plan.refusal !== null) return plan.refusal;
 */
export type PollCommitPlan =
  | { refusal: Extract<CommitPollResult, { committed: false }> }
  | { refusal: null; cursorVersion: number; nextPollAt: number; releaseLease: boolean };

/**
 * Checks a poll commit against the subscription's row as the transaction read it (`undefined`: no
 * such subscription): state, then lease, then cursor version.
 *
 * @example
 * const plan = planPollCommit(row, { expectedCursorVersion: 0, newCursor: "{}", events: [] });
 */
export function planPollCommit(row: SubscriptionRow | undefined, commit: PollCommit): PollCommitPlan {
  if (row === undefined) return { refusal: { committed: false, reason: "not_found", currentCursorVersion: null } };
  const refuse = (reason: "not_active" | "lease_lost" | "version_conflict"): PollCommitPlan => ({
    refusal: { committed: false, reason, currentCursorVersion: row.cursor_version },
  });
  if (row.state !== "active") return refuse("not_active");
  if (commit.lease !== undefined && row.lease_owner !== commit.lease.owner) return refuse("lease_lost");
  if (row.cursor_version !== commit.expectedCursorVersion) return refuse("version_conflict");
  return {
    refusal: null,
    cursorVersion: row.cursor_version + 1,
    nextPollAt: commit.nextPollAt?.getTime() ?? row.next_poll_at,
    releaseLease: commit.lease?.release === true,
  };
}
