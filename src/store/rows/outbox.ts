import { nextDeliveryAttempt } from "../policies.js";
import type { DeliveryFailureOutcome, DeliveryRetryPolicy } from "../records.js";
import type { OutboxRow } from "../sqlite/rows.js";

/**
 * What a failed delivery writes to its pending event's row (status, attempts, next attempt) and
 * what the caller is told.
 *
 * @example
 * const failure: DeliveryFailure = failedDelivery(row, DEFAULT_DELIVERY_RETRY_POLICY, Date.now());
 */
export interface DeliveryFailure {
  status: "pending" | "dead";
  attempts: number;
  /** For a dead event: when it died. */
  nextAttemptAt: number;
  outcome: DeliveryFailureOutcome;
}

/**
 * One more failed attempt at a pending event, scheduled by `policy`.
 *
 * @example
 * const failure = failedDelivery(row, DEFAULT_DELIVERY_RETRY_POLICY, Date.now());
 * update.run(failure.status, failure.attempts, failure.nextAttemptAt, error, row.id);
 */
export function failedDelivery(
  row: Pick<OutboxRow, "attempts" | "created_at" | "retry_from" | "next_attempt_at">,
  policy: DeliveryRetryPolicy,
  nowMs: number,
): DeliveryFailure {
  const attempts = row.attempts + 1;
  // A redriven event's deadline counts from its redrive.
  const next = nextDeliveryAttempt(policy, { attempts, createdAtMs: row.retry_from ?? row.created_at, nowMs });
  // A dead event's next attempt records when it died: its retention counts from then (prune).
  if (next.status === "dead") return { status: "dead", attempts, nextAttemptAt: nowMs, outcome: { status: "dead", attempts } };
  return {
    status: "pending",
    attempts,
    nextAttemptAt: next.nextAttemptAtMs,
    outcome: { status: "pending", attempts, nextAttemptAt: new Date(next.nextAttemptAtMs) },
  };
}

/**
 * Where pruning each subscription's emitted keys stops: keys emitted at or before its cutoff may
 * go. The cutoff is `keepMs` before the earlier of now and the subscription's newest key. Why the
 * newest key too: a subscription's look-back window hangs on its last poll, not on the clock. A
 * stopped subscription, or one whose polls fail (a revoked token), re-reads the window of its last
 * good poll when it polls again, however long after; its newest key stands for that poll (the
 * store cannot read the cursor), so the keys that window holds stay however old they get. This
 * keeps at most `keepMs` of keys per quiet subscription: bounded, since it emits nothing new.
 *
 * @example
 * dedupeKeyCutoffs([{ subscription_id: "s1", newest: 10_000 }], 50_000, 1_000); // [{ subscriptionId: "s1", cutoff: 9_000 }]
 */
export function dedupeKeyCutoffs(
  subscriptions: ReadonlyArray<{ subscription_id: string; newest: number }>,
  nowMs: number,
  keepMs: number,
): Array<{ subscriptionId: string; cutoff: number }> {
  return subscriptions.map((row) => ({ subscriptionId: row.subscription_id, cutoff: Math.min(nowMs, Number(row.newest)) - keepMs }));
}
