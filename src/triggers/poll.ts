import { pruneSeen, type TriggerCursor } from "./cursor.js";

/** How many seen ids a scan's query leaves out at most, by default. */
export const DEFAULT_MAX_EXCLUDED_IDS = 1_000;

/** One page of a trigger's scan, newest first. */
export interface ScanPage<Item> {
  items: Item[];
  /** Intercom's cursor for the next page, or null at the end. */
  nextCursor: string | null;
  /** Intercom's time when it answered (its `Date` header), when known. */
  serverTime: number | null;
}

/** What a page request asks for. */
export interface ScanRequest {
  /** The scan needs every item whose time is at least this (unix seconds). */
  floor: number;
  startingAfter: string | null;
  /** Ids already seen, which the query may leave out to save pages (never needed for correctness). */
  excludeIds: readonly string[];
}

/** A fallible value: expected failures are values. */
export type Outcome<T, E> = { ok: true; value: T } | { ok: false; error: E };

/**
 * What a trigger watches: how to ask Intercom for a page sorted by the trigger's time field,
 * descending, and how to read an item.
 */
export interface TriggerSource<Item, E> {
  fetchPage(request: ScanRequest): Promise<Outcome<ScanPage<Item>, E>>;
  /** The item's time for this trigger (created_at, or updated_at for updates). */
  time(item: Item): number;
  /** The dedupe key: the id, or id and updated_at for updates. */
  key(item: Item): string;
  id(item: Item): string;
  /** Whether the item is an event of this trigger (e.g. not an admin-initiated conversation). */
  accepts(item: Item): boolean;
  /** Whether seen ids may be excluded in the query (false when one id can fire again). */
  excludeSeenIds: boolean;
}

/** What a poll found. */
export interface PollResult<Item> {
  /** New events, oldest first. */
  events: Item[];
  /** The cursor to store with the events, in the same transaction. */
  cursor: TriggerCursor;
  /** Intercom calls spent. */
  calls: number;
  /** False when a page failed after the first: the events found are kept, the window is scanned again next time. */
  complete: boolean;
  /** True for the first poll, which records what exists and emits nothing. */
  baseline: boolean;
}

/** How far back each poll looks, and how many seen ids a query may exclude. */
export interface PollOptions {
  lookbackSeconds: number;
  maxExcludedIds?: number;
  /**
   * Whether a failed page should be asked again without the excluded ids (Intercom documents no
   * limit on `NIN` arrays; if it refuses one, the scan goes on without it: more pages, same events).
   */
  retryWithoutExclusions?: (error: unknown) => boolean;
  /** Local clock (unix seconds), used only when Intercom sends no `Date`. */
  localNow?: () => number;
}

/** What one cursor of a shared scan came to. */
export type CursorScan<Item, E> = { ok: true; value: Omit<PollResult<Item>, "calls"> } | { ok: false; error: E };

/** What a scan shared by several cursors found: each cursor's result, in the order given. */
export interface SharedScan<Item, E> {
  /** A baseline that could not see its whole window (a page after the first failed) has that page's error. */
  results: CursorScan<Item, E>[];
  calls: number;
  complete: boolean;
}

/**
 * Polls a trigger once. The first poll (no cursor) is a baseline: it records what exists and emits
 * nothing, so a trigger starts from "now". Later polls scan newest-first down to
 * `cursor.polledAt - lookbackSeconds`, keep the items the trigger accepts and has not seen, and
 * return them oldest first with the advanced cursor. Store both in one transaction.
 *
 * @example
 * const first = await pollTrigger(source, null, { lookbackSeconds: 600 });
 * const next = await pollTrigger(source, first.ok ? first.value.cursor : null, { lookbackSeconds: 600 });
 */
export async function pollTrigger<Item, E>(
  source: TriggerSource<Item, E>,
  cursor: TriggerCursor | null,
  options: PollOptions,
): Promise<Outcome<PollResult<Item>, E>> {
  const scanned = await scanForCursors(source, [cursor], options);
  if (!scanned.ok) return scanned;
  const [only] = scanned.value.results;
  // A baseline fails as a whole when a page after the first fails: report that page's error.
  if (only === undefined) throw new Error("scanForCursors returned no result for its one cursor");
  if (!only.ok) return only;
  return { ok: true, value: { ...only.value, calls: scanned.value.calls } };
}

/**
 * One scan for several cursors of the same trigger, source and filters (subscriptions sharing a
 * scan): Intercom is asked once, down to the oldest cursor's floor, and each cursor gets what
 * `pollTrigger` would have given it alone: its own floor, its own seen keys, its own baseline
 * (a cursor that is `null` records what exists and emits nothing). Ids are left out of the query
 * only when every cursor has seen them, and never while a cursor makes its baseline.
 *
 * @example
 * const shared = await scanForCursors(source, [cursorA, null], { lookbackSeconds: 600 });
 * if (shared.ok) shared.value.results[1]; // the new subscription's baseline
 */
export async function scanForCursors<Item, E>(
  source: TriggerSource<Item, E>,
  cursors: ReadonlyArray<TriggerCursor | null>,
  options: PollOptions,
): Promise<Outcome<SharedScan<Item, E>, E>> {
  const localNow = options.localNow ?? (() => Math.floor(Date.now() / 1000));
  const lookback = options.lookbackSeconds;
  const anyBaseline = cursors.some((c) => c === null);
  const continuing = cursors.filter((c): c is TriggerCursor => c !== null);
  // Bounds come from Intercom's clock only. A baseline does not know it before the first answer,
  // so a scan of baselines alone has no date bound (newest first, it still stops at the floor
  // once that answer gives Intercom's time); the local clock may be days off the workspace's.
  const oldestFloor = continuing.length === 0 ? null : Math.min(...continuing.map((c) => c.polledAt - lookback));
  const queryFloor = oldestFloor ?? 0;
  // Where paging stops; with a baseline among the cursors, set from Intercom's time on the first page.
  let stopFloor = oldestFloor ?? Number.NEGATIVE_INFINITY;
  const seenByCursor = cursors.map((c) => (c === null ? {} : pruneSeen(c.seen, c.polledAt - lookback)));
  let excludeIds = source.excludeSeenIds && !anyBaseline ? seenByAll(seenByCursor, options.maxExcludedIds ?? DEFAULT_MAX_EXCLUDED_IDS) : [];

  const found = new Map<string, Item>();
  let serverTime: number | null = null;
  let startingAfter: string | null = null;
  let calls = 0;
  let pagesRead = 0;
  let complete = true;
  let lastError: E | undefined;
  for (;;) {
    // Every page of one scan asks the same query: Intercom's cursor belongs to its query.
    let page = await source.fetchPage({ floor: queryFloor, startingAfter, excludeIds });
    calls++;
    if (!page.ok && excludeIds.length > 0 && options.retryWithoutExclusions?.(page.error) === true) {
      excludeIds = [];
      startingAfter = null; // a cursor belongs to its query: start the scan again without exclusions
      page = await source.fetchPage({ floor: queryFloor, startingAfter, excludeIds });
      calls++;
    }
    if (!page.ok) {
      if (pagesRead === 0) return page;
      lastError = page.error;
      complete = false;
      break;
    }
    pagesRead++;
    if (pagesRead === 1) {
      serverTime = page.value.serverTime;
      const baselineFloor = (serverTime ?? localNow()) - lookback;
      if (anyBaseline) stopFloor = oldestFloor === null ? baselineFloor : Math.min(oldestFloor, baselineFloor);
    }
    let reachedFloor = false;
    for (const item of page.value.items) {
      const time = source.time(item);
      if (time < stopFloor) {
        reachedFloor = true;
        continue;
      }
      found.set(source.key(item), item);
    }
    if (reachedFloor || page.value.nextCursor === null || page.value.items.length === 0) break;
    startingAfter = page.value.nextCursor;
  }

  const now = serverTime ?? localNow();
  const results = cursors.map((cursor, index): CursorScan<Item, E> => {
    const baseline = cursor === null;
    // A baseline must see its whole window, or pre-existing items would later look new.
    if (baseline && lastError !== undefined) return { ok: false, error: lastError };
    const floor = baseline ? now - lookback : cursor.polledAt - lookback;
    const seen = { ...seenByCursor[index] };
    const events: Item[] = [];
    for (const [key, item] of found) {
      const time = source.time(item);
      if (time < floor || key in seen) continue;
      seen[key] = time;
      if (!baseline && source.accepts(item)) events.push(item);
    }
    events.sort((a, b) => source.time(a) - source.time(b) || compare(source.id(a), source.id(b)));
    // A complete scan moves the window to this poll's start; an incomplete one keeps the old
    // window so the next poll scans it again (the seen keys stop repeats).
    const polledAt = complete || baseline ? now : cursor.polledAt;
    return { ok: true, value: { events, cursor: { v: 1, polledAt, seen: pruneSeen(seen, polledAt - lookback) }, complete, baseline } };
  });
  return { ok: true, value: { results, calls, complete } };
}

/** The ids every cursor has seen, newest first, at most `max`: leaving them out loses no cursor anything. */
function seenByAll(seenByCursor: ReadonlyArray<Record<string, number>>, max: number): string[] {
  const [first, ...others] = seenByCursor;
  if (first === undefined) return [];
  return Object.entries(first)
    .filter(([key]) => others.every((seen) => key in seen))
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([key]) => key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
