import { StoreError } from "./errors.js";
import { REGIONS, TRIGGER_IDS, type BudgetSpend, type NewEvent, type PollCommit, type Region, type RetentionPolicy, type SubscriptionFilter, type TriggerId } from "./records.js";

/**
 * Guards every implementation applies before writing, so that they fail alike (the conformance
 * suite checks it) and no driver error stands for a caller's mistake.
 *
 * @example
 * const payloads = serializeEvents(events); // throws StoreError("invalid_argument") on a bad event
 */
export function serializeEvents(events: readonly NewEvent[]): Array<{ dedupeKey: string; payload: string }> {
  return events.map((event, index) => {
    if (typeof event.dedupeKey !== "string" || event.dedupeKey === "") {
      throw new StoreError("invalid_argument", `events[${index}].dedupeKey must be a non-empty string`);
    }
    const payload = JSON.stringify(event.payload) as string | undefined;
    if (payload === undefined) throw new StoreError("invalid_argument", `events[${index}].payload is not JSON-serialisable`);
    return { dedupeKey: event.dedupeKey, payload };
  });
}

/**
 * Checks a poll commit before its transaction begins, and serialises its events.
 *
 * @example
 * const events = serializePollCommit({ expectedCursorVersion: 0, newCursor: "{}", events: [] }); // []
 */
export function serializePollCommit(commit: PollCommit): Array<{ dedupeKey: string; payload: string }> {
  assertJsonText(commit.newCursor, "newCursor");
  if (!Number.isSafeInteger(commit.expectedCursorVersion)) throw new StoreError("invalid_argument", "expectedCursorVersion must be an integer");
  return serializeEvents(commit.events);
}

/**
 * Throws unless `text` is JSON text (cursors are opaque, but JSON, so a database may type them).
 *
 * @example
 * assertJsonText(JSON.stringify({ since: 0 }), "cursor");
 */
export function assertJsonText(text: string, what: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new StoreError("invalid_argument", `${what} must be JSON text`);
  }
}

/**
 * A date's epoch milliseconds; throws unless it is a valid `Date` (an invalid one would compare
 * as NULL or NaN in SQL, silently matching nothing).
 *
 * @example
 * const time = assertTime(polledBefore, "polledBefore");
 */
export function assertTime(value: Date, what: string): number {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isSafeInteger(time)) throw new StoreError("invalid_argument", `${what} must be a valid date`);
  return time;
}

/**
 * A subscription filter's `polledSince` as epoch milliseconds, checked; `null` when absent.
 *
 * @example
 * polledSinceOf({ polledSince: new Date(0) }); // 0
 */
export function polledSinceOf(filter: SubscriptionFilter): number | null {
  return filter.polledSince === undefined ? null : assertTime(filter.polledSince, "polledSince");
}

/**
 * Throws unless `value` is a positive safe integer.
 *
 * @example
 * assertPositiveInteger(limit, "limit");
 */
export function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new StoreError("invalid_argument", `${what} must be a positive integer`);
}

/**
 * Throws unless a lease claim is well formed: a named owner, a positive limit and lease length.
 *
 * @example
 * assertClaim("worker-1", { limit: 10, leaseMs: 60_000 });
 */
export function assertClaim(owner: string, options: { limit: number; leaseMs: number }): void {
  assertNonEmpty(owner, "owner");
  assertPositiveInteger(options.limit, "limit");
  assertPositiveInteger(options.leaseMs, "leaseMs");
}

/**
 * Throws unless `value` is a known region.
 *
 * @example
 * assertRegion("eu");
 */
export function assertRegion(value: string): asserts value is Region {
  if (!(REGIONS as readonly string[]).includes(value)) throw new StoreError("invalid_argument", `region must be one of ${REGIONS.join(", ")}`);
}

/**
 * Throws unless `value` is a known trigger id.
 *
 * @example
 * assertTriggerId("TrigNewLead");
 */
export function assertTriggerId(value: string): asserts value is TriggerId {
  if (!(TRIGGER_IDS as readonly string[]).includes(value)) throw new StoreError("invalid_argument", `triggerId must be one of ${TRIGGER_IDS.join(", ")}`);
}

/**
 * Throws unless `text` is a non-empty string.
 *
 * @example
 * assertNonEmpty(input.accessToken, "accessToken");
 */
export function assertNonEmpty(text: string, what: string): void {
  if (typeof text !== "string" || text.trim() === "") throw new StoreError("invalid_argument", `${what} must be a non-empty string`);
}

/**
 * Throws unless a budget spend is coherent: positive integers, a cost the limit can ever admit.
 *
 * @example
 * assertBudgetSpend({ limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export function assertBudgetSpend(spend: BudgetSpend): void {
  assertPositiveInteger(spend.limit, "limit");
  assertPositiveInteger(spend.windowMs, "windowMs");
  assertPositiveInteger(spend.cost, "cost");
  if (spend.cost > spend.limit) throw new StoreError("invalid_argument", "cost exceeds the budget's limit: it could never be spent");
  if (!Number.isFinite(spend.nowMs)) throw new StoreError("invalid_argument", "nowMs must be a finite number");
}

/**
 * Throws unless every retention period is a non-negative finite number of milliseconds.
 *
 * @example
 * assertRetentionPolicy(DEFAULT_RETENTION_POLICY);
 */
export function assertRetentionPolicy(policy: RetentionPolicy): void {
  for (const [name, value] of Object.entries(policy)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new StoreError("invalid_argument", `retention ${name} must be a non-negative number of milliseconds`);
    }
  }
}

/**
 * The shortest API key an operator may choose (generated keys are much longer).
 *
 * @example
 * apiKey.length >= MIN_API_KEY_LENGTH;
 */
export const MIN_API_KEY_LENGTH = 16;

/**
 * Throws unless `apiKey` is an operator-chosen key the store accepts: at least
 * {@link MIN_API_KEY_LENGTH} printable ASCII characters, no whitespace (it travels in a header).
 *
 * @example
 * assertApiKey(process.env.CONNECTOR_API_KEY ?? "");
 */
export function assertApiKey(apiKey: string): void {
  if (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey) || apiKey.length < MIN_API_KEY_LENGTH) {
    throw new StoreError("invalid_argument", `apiKey must be at least ${MIN_API_KEY_LENGTH} printable ASCII characters without whitespace`);
  }
}
