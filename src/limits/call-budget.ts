import type { Store } from "../store/index.js";

/**
 * Calls a connection may make within a window, by default (the seed's 100 per 60 s).
 *
 * @example
 * new ConnectionCallBudget(store, { callsPerWindow: DEFAULT_CALLS_PER_WINDOW });
 */
export const DEFAULT_CALLS_PER_WINDOW = 100;

/**
 * The budget window's length in seconds, by default.
 *
 * @example
 * new ConnectionCallBudget(store, { windowSeconds: DEFAULT_WINDOW_SECONDS });
 */
export const DEFAULT_WINDOW_SECONDS = 60;

/**
 * What a connection's budget answered: go ahead, or come back in `retryAfterSeconds` (the value
 * of HTTP 429's `Retry-After`).
 *
 * @example
 * const decision = await budget.spend(connectionId);
 * if (!decision.allowed) reply.code(429).header("Retry-After", String(decision.retryAfterSeconds));
 */
export type CallBudgetDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * The part of the store a budget needs; any `Store` is one.
 *
 * @example
 * const budgetStore: CallBudgetStore = await openStore(url, { secretKey });
 */
export type CallBudgetStore = Pick<Store, "spendCallBudget">;

/**
 * How a budget is sized and timed.
 *
 * @example
 * const options: CallBudgetOptions = { callsPerWindow: Number(process.env.CONNECTION_CALLS_PER_MINUTE ?? 100) };
 */
export interface CallBudgetOptions {
  /** Calls admitted within any window (default 100). */
  callsPerWindow?: number;
  /** The window's length in seconds (default 60). */
  windowSeconds?: number;
  /** Epoch milliseconds; tests inject one. Defaults to `Date.now`. */
  clock?: () => number;
}

/**
 * The per-connection budget: at most `callsPerWindow` calls within any `windowSeconds` (sliding,
 * not fixed windows), kept in the store so every process on the same database shares it. Actions
 * and trigger polls alike spend from it. A refused call spends nothing.
 *
 * @example
 * const budget = new ConnectionCallBudget(store, { callsPerWindow: 100, windowSeconds: 60 });
 * const decision = await budget.spend(connection.id);
 * if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
 */
export class ConnectionCallBudget {
  readonly callsPerWindow: number;
  readonly windowSeconds: number;
  private readonly clock: () => number;

  constructor(
    private readonly store: CallBudgetStore,
    options: CallBudgetOptions = {},
  ) {
    this.callsPerWindow = options.callsPerWindow ?? DEFAULT_CALLS_PER_WINDOW;
    this.windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    if (!Number.isSafeInteger(this.callsPerWindow) || this.callsPerWindow <= 0) throw new RangeError("callsPerWindow must be a positive integer");
    if (!Number.isFinite(this.windowSeconds) || this.windowSeconds <= 0) throw new RangeError("windowSeconds must be a positive number");
    this.clock = options.clock ?? Date.now;
  }

  /** Spends `cost` calls (default 1) of the connection's budget if they fit. */
  async spend(connectionId: string, cost = 1): Promise<CallBudgetDecision> {
    const decision = await this.store.spendCallBudget(budgetKey(connectionId), {
      limit: this.callsPerWindow,
      windowMs: Math.round(this.windowSeconds * 1000),
      cost,
      nowMs: this.clock(),
    });
    if (decision.allowed) return decision;
    // Whole seconds, rounded up: retrying after Retry-After must succeed, not come a moment early.
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  }
}

/**
 * The store key of a connection's budget; other budgets (if any) use other prefixes.
 *
 * @example
 * budgetKey("c1"); // "connection:c1"
 */
export function budgetKey(connectionId: string): string {
  return `connection:${connectionId}`;
}
