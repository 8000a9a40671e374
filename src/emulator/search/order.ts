import type { FieldDef, ReadEnv } from "./fields.js";

/** What a record is sorted by. */
export type SortValue = string | number | boolean | null;

/** A record's place in a sorted result: its sort value, then its id. */
export interface SortKey {
  v: SortValue;
  id: string;
}

/**
 * Compares ids: shorter first, then by characters, so numeric ids ("9" < "10") and fixed-width
 * hex ids both come out in their natural order.
 *
 * @example
 * compareIds("9", "10"); // negative
 */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const TYPE_RANK = { number: 0, string: 1, boolean: 2 } as const;

function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  const ta = typeof a as keyof typeof TYPE_RANK;
  const tb = typeof b as keyof typeof TYPE_RANK;
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of search results: by value, then id, both reversed when descending; records without
 * a value come last either way (as Elasticsearch, which Intercom search runs on, sorts missing
 * values).
 *
 * @example
 * [{ v: 2, id: "a" }, { v: null, id: "b" }, { v: 5, id: "c" }].sort((x, y) => compareKeys(x, y, true)); // c, a, b
 */
export function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a.v === null || b.v === null) {
    if (a.v !== b.v) return a.v === null ? 1 : -1;
    const c = compareIds(a.id, b.id);
    return descending ? -c : c;
  }
  const c = compareValues(a.v, b.v) || compareIds(a.id, b.id);
  return descending ? -c : c;
}

/**
 * The value a record sorts by. A list (ids, body words) sorts by its smallest element ascending
 * and its largest descending, as Elasticsearch does.
 *
 * @example
 * sortValue(createdAtField, contact, env, true); // 1577869200
 */
export function sortValue<T>(field: FieldDef<T>, doc: T, env: ReadEnv<T>, descending: boolean): SortValue {
  const value = field.read(doc, env);
  if (!Array.isArray(value)) return value as Exclude<typeof value, readonly string[]>;
  const list = value as readonly string[];
  if (list.length === 0) return null;
  let best = list[0] ?? null;
  for (const e of list) if (best !== null && (descending ? e > best : e < best)) best = e;
  return best;
}
