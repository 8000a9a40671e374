import type { NewEvent } from "../records.js";

/**
 * A stand-in for a trigger's Intercom query, for the concurrency and crash tests: items are
 * numbered 1, 2, 3…; a poll from cursor `n` sees `overlap` items at or below `n` again (the
 * look-back window) and the next `batch` ones, and moves the cursor to `n + batch`. A correct
 * store ends with items 1..n, each once, in order.
 *
 * @example
 * simulatePoll(JSON.stringify({ n: 4 }), { batch: 2, overlap: 2 });
 * // { newCursor: '{"n":6}', events: items 3, 4, 5, 6 }
 */
export function simulatePoll(cursor: string, options: { batch: number; overlap: number; padding?: number }): { n: number; newCursor: string; events: NewEvent[] } {
  const n = cursorPosition(cursor);
  const events: NewEvent[] = [];
  for (let item = Math.max(1, n - options.overlap + 1); item <= n + options.batch; item++) {
    events.push({ dedupeKey: itemKey(item), payload: itemPayload(item, options.padding ?? 0) });
  }
  return { n, newCursor: JSON.stringify({ n: n + options.batch }), events };
}

/**
 * The position a simulated cursor holds.
 *
 * @example
 * cursorPosition('{"n":6}'); // 6
 */
export function cursorPosition(cursor: string): number {
  const value = (JSON.parse(cursor) as { n?: unknown }).n;
  return typeof value === "number" ? value : 0;
}

/**
 * The dedupe key of item `n`.
 *
 * @example
 * itemKey(3); // "item-3"
 */
export function itemKey(n: number): string {
  return `item-${n}`;
}

/**
 * The payload of item `n`: its number, and `padding` characters so a commit takes some time.
 *
 * @example
 * itemPayload(3, 0); // { item: 3, padding: "" }
 */
export function itemPayload(n: number, padding: number): { item: number; padding: string } {
  return { item: n, padding: "x".repeat(padding) };
}
