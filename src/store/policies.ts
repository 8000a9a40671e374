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
 * Delivered events kept a day (to inspect), dead ones a month (to redrive by hand), dedupe keys a
 * week — far beyond any trigger's look-back window (minutes of search-index delay plus a day of
 * date granularity) — and budget calls an hour (the longest sensible window).
 *
 * @example
 * await store.prune(DEFAULT_RETENTION_POLICY);
 */
export const DEFAULT_RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  deliveredEventsMs: DAY,
  deadEventsMs: 30 * DAY,
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
