/** Intercom spreads a per-minute limit over six 10-second windows. */
export const RATE_LIMIT_WINDOW_SECONDS = 10;

/** What the rate limiter decided for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends. */
  reset: number;
}

/**
 * Spends one request of a workspace's window. The window runs on real time (not the workspace's
 * test clock) because clients compute their wait from `X-RateLimit-Reset` and their own clock.
 *
 * @example
 * const windows = new Map();
 * spendRateLimit(windows, "ws1", 60, Date.now()).allowed; // true
 */
export function spendRateLimit(
  windows: Map<string, { start: number; used: number }>,
  workspaceId: string,
  perMinute: number,
  nowMs: number,
): RateLimitDecision {
  const limit = Math.max(1, Math.floor(perMinute / (60 / RATE_LIMIT_WINDOW_SECONDS)));
  const nowSeconds = Math.floor(nowMs / 1000);
  const windowStart = nowSeconds - (nowSeconds % RATE_LIMIT_WINDOW_SECONDS);
  let window = windows.get(workspaceId);
  if (window === undefined || window.start !== windowStart) {
    window = { start: windowStart, used: 0 };
    windows.set(workspaceId, window);
  }
  const reset = windowStart + RATE_LIMIT_WINDOW_SECONDS;
  if (window.used >= limit) return { allowed: false, limit, remaining: 0, reset };
  window.used++;
  return { allowed: true, limit, remaining: limit - window.used, reset };
}
