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
  /** Unchanged for a dead event. */
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
  if (next.status === "dead") return { status: "dead", attempts, nextAttemptAt: row.next_attempt_at, outcome: { status: "dead", attempts } };
  return {
    status: "pending",
    attempts,
    nextAttemptAt: next.nextAttemptAtMs,
    outcome: { status: "pending", attempts, nextAttemptAt: new Date(next.nextAttemptAtMs) },
  };
}
