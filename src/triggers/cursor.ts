/**
 * A trigger's position in Intercom's stream of items.
 *
 * `polledAt` is Intercom's time (its `Date` header) when the last poll began: every item created
 * before it and already visible to search was seen. Items that reach search late (Intercom's
 * index delay) carry a timestamp at most `lookbackSeconds` before the poll that first sees them,
 * so each poll scans down to `polledAt - lookbackSeconds` and `seen` holds the dedupe keys of what
 * was emitted (or baselined) inside that window. Keys older than the window are dropped: no scan
 * reaches them again.
 */
export interface TriggerCursor {
  v: 1;
  /** Intercom time (unix seconds) of the last poll. */
  polledAt: number;
  /** Dedupe key → item time (unix seconds), for items inside the look-back window. */
  seen: Record<string, number>;
}

/** Why a stored cursor could not be read. */
export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidCursorError";
  }
}

/**
 * Serializes a cursor for the store.
 *
 * @example
 * encodeTriggerCursor({ v: 1, polledAt: 1700000000, seen: {} });
 */
export function encodeTriggerCursor(cursor: TriggerCursor): string {
  return JSON.stringify(cursor);
}

/**
 * Reads a stored cursor, validating every field (a damaged one is an error, never a crash later).
 *
 * @example
 * decodeTriggerCursor('{"v":1,"polledAt":1700000000,"seen":{}}').polledAt; // 1700000000
 */
export function decodeTriggerCursor(text: string): TriggerCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidCursorError("trigger cursor is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null) throw new InvalidCursorError("trigger cursor is not an object");
  const c = parsed as Record<string, unknown>;
  if (c.v !== 1) throw new InvalidCursorError("unknown trigger cursor version");
  if (typeof c.polledAt !== "number" || !Number.isInteger(c.polledAt) || c.polledAt < 0) {
    throw new InvalidCursorError("trigger cursor has no valid polledAt");
  }
  if (typeof c.seen !== "object" || c.seen === null || Array.isArray(c.seen)) throw new InvalidCursorError("trigger cursor has no seen map");
  const seen: Record<string, number> = {};
  for (const [key, time] of Object.entries(c.seen)) {
    if (typeof time !== "number" || !Number.isFinite(time)) throw new InvalidCursorError(`trigger cursor key ${key} has no time`);
    seen[key] = time;
  }
  return { v: 1, polledAt: c.polledAt, seen };
}

/**
 * Keeps only the keys a scan from `floor` could meet again.
 *
 * @example
 * pruneSeen({ a: 10, b: 100 }, 50); // { b: 100 }
 */
export function pruneSeen(seen: Record<string, number>, floor: number): Record<string, number> {
  const kept: Record<string, number> = {};
  for (const [key, time] of Object.entries(seen)) if (time >= floor) kept[key] = time;
  return kept;
}
