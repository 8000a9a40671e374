import { compareIds, compareKeys, type SortKey } from "./order.js";
import type { TimeRange } from "./predicate.js";

/** Records in a sorted order, read by position. */
export interface IndexView {
  length: number;
  idAt(position: number): string;
  keyAt(position: number): SortKey;
  /** The first position whose key comes after `key` in this view's order (`key` need not be present). */
  firstAfter(key: SortKey): number;
}

interface Change {
  id: string;
  /** The value before (undefined: the record was not there). */
  before: number | null | undefined;
  after: number | null | undefined;
}

/**
 * The visible records of a kind sorted by one timestamp field, then id, kept in step with the
 * search index's changes. Changes are queued and applied at the next {@link SortedIndex.refresh}
 * by binary search and splice; after many, one rebuild (a sort) is cheaper, so the queue is dropped
 * for it. Records without a value are kept apart, by id, since they sort last.
 *
 * @example
 * const index = new SortedIndex<ContactRecord>((c) => c.created_at);
 * workspace.contactSearch.onChange((before, after) => index.change(before, after));
 * index.refresh(workspace.contactSearch.visible(now));
 * index.view({ from: 0, to: Infinity }, true).idAt(0); // newest contact
 */
export class SortedIndex<T extends { id: string }> {
  private values: number[] = [];
  private ids: string[] = [];
  private nullIds: string[] = [];
  private changes: Change[] = [];
  private stale = true;

  constructor(private readonly read: (doc: T) => number | null) {}

  /** Records a change of the visible set (`before` undefined: added; `after` undefined: removed). */
  change(before: T | undefined, after: T | undefined): void {
    if (this.stale) return;
    const id = (after ?? before)?.id;
    if (id === undefined) return;
    const change: Change = { id, before: before === undefined ? undefined : this.read(before), after: after === undefined ? undefined : this.read(after) };
    if (change.before === change.after) return;
    this.changes.push(change);
    if (this.changes.length > Math.max(256, this.values.length >> 5)) {
      this.stale = true;
      this.changes = [];
    }
  }

  /** Brings the order up to date with `docs`, the visible records the changes led to. */
  refresh(docs: ReadonlyMap<string, T>): void {
    if (this.stale) {
      this.rebuild(docs);
      return;
    }
    for (const c of this.changes) {
      if (c.before !== undefined) this.delete(c.before, c.id);
      if (c.after !== undefined) this.insert(c.after, c.id);
    }
    this.changes = [];
  }

  /** How many records have a value within `range` (all records with one when null). */
  count(range: TimeRange | null): number {
    if (range === null) return this.values.length;
    return Math.max(0, this.valueBound(range.to) - this.valueBound(range.from));
  }

  /**
   * The records with a value in `range` in sort order (`range` null: every record, those without
   * a value last).
   */
  view(range: TimeRange | null, descending: boolean): IndexView {
    const lo = range === null ? 0 : this.valueBound(range.from);
    const hi = range === null ? this.values.length : Math.max(lo, this.valueBound(range.to));
    const ranged = hi - lo;
    const nulls = range === null ? this.nullIds.length : 0;
    const { values, ids, nullIds } = this;
    const keyAt = (k: number): SortKey => {
      if (k < ranged) {
        const i = descending ? hi - 1 - k : lo + k;
        return { v: values[i] ?? null, id: ids[i] ?? "" };
      }
      const j = descending ? nulls - 1 - (k - ranged) : k - ranged;
      return { v: null, id: nullIds[j] ?? "" };
    };
    const length = ranged + nulls;
    return {
      length,
      keyAt,
      idAt: (k) => (k < ranged ? ids[descending ? hi - 1 - k : lo + k] : nullIds[descending ? nulls - 1 - (k - ranged) : k - ranged]) ?? "",
      firstAfter(key) {
        let a = 0;
        let b = length;
        while (a < b) {
          const mid = (a + b) >>> 1;
          if (compareKeys(keyAt(mid), key, descending) <= 0) a = mid + 1;
          else b = mid;
        }
        return a;
      },
    };
  }

  /** The first position whose value is >= `value`. */
  private valueBound(value: number): number {
    if (value === Number.NEGATIVE_INFINITY) return 0;
    if (value === Number.POSITIVE_INFINITY) return this.values.length;
    let a = 0;
    let b = this.values.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((this.values[mid] ?? 0) < value) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** The first position whose (value, id) is >= the given one. */
  private keyBound(value: number, id: string): number {
    let a = 0;
    let b = this.values.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const v = this.values[mid] ?? 0;
      if (v < value || (v === value && compareIds(this.ids[mid] ?? "", id) < 0)) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  private idBound(id: string): number {
    let a = 0;
    let b = this.nullIds.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (compareIds(this.nullIds[mid] ?? "", id) < 0) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  private insert(value: number | null, id: string): void {
    if (value === null) {
      this.nullIds.splice(this.idBound(id), 0, id);
      return;
    }
    const at = this.keyBound(value, id);
    this.values.splice(at, 0, value);
    this.ids.splice(at, 0, id);
  }

  private delete(value: number | null, id: string): void {
    if (value === null) {
      const at = this.idBound(id);
      if (this.nullIds[at] === id) this.nullIds.splice(at, 1);
      return;
    }
    const at = this.keyBound(value, id);
    if (this.ids[at] === id && this.values[at] === value) {
      this.values.splice(at, 1);
      this.ids.splice(at, 1);
    }
  }

  private rebuild(docs: ReadonlyMap<string, T>): void {
    const entries: Array<{ v: number; id: string }> = [];
    const nullIds: string[] = [];
    for (const doc of docs.values()) {
      const v = this.read(doc);
      if (v === null) nullIds.push(doc.id);
      else entries.push({ v, id: doc.id });
    }
    entries.sort((a, b) => a.v - b.v || compareIds(a.id, b.id));
    nullIds.sort(compareIds);
    this.values = entries.map((e) => e.v);
    this.ids = entries.map((e) => e.id);
    this.nullIds = nullIds;
    this.changes = [];
    this.stale = false;
  }
}
