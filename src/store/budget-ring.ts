/**
 * The call budget's ring, shared by the SQLite and PostgreSQL stores (their `call-budget.ts` keep
 * it in tables `call_budgets` and `call_budget_slots`).
 *
 * A budget key has a head (`slotCount`, the ring's size, at least the limit; `nextSeq`, the units
 * accepted so far; `newestAt`) and one row per slot: unit number `n` (from 0) is stored in slot
 * `n % slotCount`, overwriting unit `n - slotCount`. So the ring holds the last `slotCount`
 * accepted units, and a spend reads and writes the same few rows whatever the limit.
 *
 * Stored times never go back (a unit is stored at `max(now, newestAt)`: a clock that steps back,
 * say another process's, only holds units longer), so the ring is in time order. Then a spend of
 * `cost` at `now` fits within `(now - window, now]` exactly when the `cost`-th oldest of the last
 * `limit` units, unit `nextSeq + cost - 1 - limit`, is outside that window (or was never spent):
 * every older unit is older still, so at most `limit - cost` units are inside. That is the
 * sliding log's answer, from one row. A refusal waits until that unit leaves the window. An
 * accepted spend's `remaining` counts from the oldest unit inside the window, found by one seek
 * on (key, time).
 *
 * The ring keeps every unit still inside the window: once a spend is accepted at most `limit`
 * units are inside, all among the ring's, and later windows hold no older ones. A changed limit
 * (the operator changed `CONNECTION_CALLS_PER_MINUTE`) keeps that true, rebuilding the ring once,
 * O(ring size): a larger limit grows it first (keeping every unit); a smaller one decides on the
 * ring as it is, and shrinks it to the limit after the first accepted spend, when the units
 * beyond the newest `limit` are outside the window. (Shrinking at once would forget units still
 * inside, and a limit raised again before they leave would admit too many.) So every answer is
 * the log's, whatever the window; only a limit raised together with a longer window could miss
 * units the ring no longer held.
 */

import type { BudgetDecision } from "./records.js";

/**
 * The slot a unit lives in, in a ring of `slotCount` slots.
 *
 * @example
 * ringSlot(250, 100); // 50
 */
export function ringSlot(seq: number, slotCount: number): number {
  return seq % slotCount;
}

/**
 * The state a spend is decided on, read under the budget's lock.
 *
 * @example
 * const state: RingRead = { nextSeq: 3, decidingAt: null, firstSeqInWindow: 1 };
 */
export interface RingRead {
  /** Units accepted so far (0 for a key never spent from). */
  nextSeq: number;
  /** When the deciding unit (see {@link decidingSeq}) was stored; null if it never was. */
  decidingAt: number | null;
  /** The oldest stored unit inside the window, null if none: `nextSeq - it` units are inside. */
  firstSeqInWindow: number | null;
}

/**
 * The answer to a spend from what the ring holds: accepted with the units left in the window, or
 * refused with the exact wait until the deciding unit leaves it.
 *
 * @example
 * ringDecision({ nextSeq: 3, decidingAt: null, firstSeqInWindow: 1 }, { limit: 5, windowMs: 1_000, cost: 2, nowMs: 0 }); // { allowed: true, remaining: 1 }
 */
export function ringDecision(read: RingRead, spend: { limit: number; windowMs: number; cost: number; nowMs: number }): BudgetDecision {
  const { limit, windowMs, cost, nowMs } = spend;
  if (read.decidingAt !== null && read.decidingAt > nowMs - windowMs) {
    return { allowed: false, retryAfterMs: Math.max(1, read.decidingAt + windowMs - nowMs) };
  }
  const inside = read.firstSeqInWindow === null ? 0 : read.nextSeq - read.firstSeqInWindow;
  return { allowed: true, remaining: limit - inside - cost };
}

/**
 * The start of the minute a spend at `nowMs` is counted in (epoch ms), for the budget's history.
 *
 * @example
 * budgetMinuteOf(Date.parse("2026-01-01T10:42:31.5Z")); // Date.parse("2026-01-01T10:42:00Z")
 */
export function budgetMinuteOf(nowMs: number): number {
  return Math.floor(nowMs / 60_000) * 60_000;
}
