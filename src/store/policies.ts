import type { DeliveryRetryPolicy, RetentionPolicy } from "./records.js";

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;

/**
 * Webhook deliveries: 5 s after the first failure, doubling up to an hour, for a day.
 *
 * @example
 * await store.recordDeliveryFailure(subscriptionId, eventId, "HTTP 500", DEFAULT_DELIVERY_RETRY_POLICY);
 */
export const DEFAULT_DELIVERY_RETRY_POLICY: Readonly<DeliveryRetryPolicy> = Object.freeze({
  firstDelayMs: 5 * SECOND,
  maxDelayMs: HOUR,
  giveUpAfterMs: DAY,
});

/**
 * What a running service keeps (the retention sweeper's defaults, `RetentionSweeper`):
 * - delivered events a day: nothing reads an acknowledged event again (Power Automate's receipt
 *   and webhook deliveries only ever look at pending ones); a day lets an operator look at
 *   yesterday's incident, and no longer keeps payloads, which hold contacts' personal data;
 * - dead letters 7 days after they died: a human has to notice, fix the receiver and replay
 *   them; a week covers a weekend and a holiday, while a receiver down for days (every event
 *   dead) is not kept for a month;
 * - dedupe keys 7 days: far beyond the triggers' look-back window (10 minutes by default, which
 *   covers the search-index delay), so that pushed events and polls that re-read them agree
 *   across an outage of polling up to a week; keys are small (an id and a time). A stopped or
 *   quiet subscription keeps its newest keys regardless (see `prune`);
 * - idle call budgets an hour: at least the longest budget window (the service raises it to
 *   `CONNECTION_CALL_WINDOW_SECONDS` when that is longer).
 *
 * @example
 * await store.prune(DEFAULT_RETENTION_POLICY);
 */
export const DEFAULT_RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  deliveredEventsMs: DAY,
  deadEventsMs: 7 * DAY,
  dedupeKeysMs: 7 * DAY,
  callLogMs: HOUR,
});

/**
 * When a failed event is attempted next, or that it is dead: the delay after the n-th failure is
 * `firstDelayMs * 2^(n-1)` capped at `maxDelayMs`; no attempt is scheduled past the deadline
 * (`createdAt + giveUpAfterMs`), and a failure at or after it is final.
 *
 * @example
 * nextDeliveryAttempt(DEFAULT_DELIVERY_RETRY_POLICY, { attempts: 1, createdAtMs: 0, nowMs: 0 }); // { status: "pending", nextAttemptAtMs: 5000 }
 */
export function nextDeliveryAttempt(
  policy: DeliveryRetryPolicy,
  failure: { attempts: number; createdAtMs: number; nowMs: number },
): { status: "pending"; nextAttemptAtMs: number } | { status: "dead" } {
  const deadline = failure.createdAtMs + policy.giveUpAfterMs;
  if (failure.nowMs >= deadline) return { status: "dead" };
  const exponent = Math.max(0, failure.attempts - 1);
  // Capping the exponent keeps 2 ** exponent finite for absurd attempt counts.
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(exponent, 52));
  return { status: "pending", nextAttemptAtMs: Math.min(failure.nowMs + delay, deadline) };
}
