import { RATE_LIMIT_WINDOW_SECONDS } from "../rate-limit.js";

const WINDOW_MS = RATE_LIMIT_WINDOW_SECONDS * 1000;

/**
 * Milliseconds until the current rate-limit window (real time, as the emulator keeps it) ends.
 * Give it the `Date.now()` you add it to: two reads of the clock may fall a millisecond apart.
 *
 * @example
 * const startedAt = Date.now();
 * const windowEnd = startedAt + msLeftInWindow(startedAt);
 */
export function msLeftInWindow(nowMs: number = Date.now()): number {
  return WINDOW_MS - (nowMs % WINDOW_MS);
}

/**
 * Waits until the current rate-limit window has between `minLeftMs` and `maxLeftMs` left, so a test
 * can spend a window's requests before it ends and a client's wait for `X-RateLimit-Reset` stays
 * short (at most `maxLeftMs`, plus the SDK's jitter of up to 20%).
 *
 * @example
 * await enterRateWindow({ minLeftMs: 1_000, maxLeftMs: 4_000 });
 */
export async function enterRateWindow(options: { minLeftMs: number; maxLeftMs: number }): Promise<void> {
  const { minLeftMs, maxLeftMs } = options;
  if (!(minLeftMs >= 0 && maxLeftMs > minLeftMs && maxLeftMs <= WINDOW_MS)) throw new RangeError("enterRateWindow: bad bounds");
  const left = msLeftInWindow();
  if (left >= minLeftMs && left <= maxLeftMs) return;
  // Too much left: wait until maxLeftMs remain. Too little: wait into the next window likewise.
  const wait = left > maxLeftMs ? left - maxLeftMs : left + WINDOW_MS - maxLeftMs;
  await new Promise((resolve) => setTimeout(resolve, wait + 5));
}
