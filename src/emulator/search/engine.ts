import type { DelayedIndex } from "./delayed-index.js";
import type { FieldDef, ReadEnv } from "./fields.js";
import { compareKeys, sortValue, type SortKey } from "./order.js";
import type { CompiledQuery, Predicate, TimeRange } from "./predicate.js";
import { SortedIndex, type IndexView } from "./sorted-index.js";

/** What to find and which page of it. */
export interface SearchArgs<T> {
  /** The workspace's time (unix seconds): what search sees depends on it. */
  now: number;
  query: CompiledQuery<T>;
  sort: { field: FieldDef<T>; descending: boolean };
  env: ReadEnv<T>;
  perPage: number;
  /** Serve what comes after this position (the previous page's last record, even if gone since). */
  after: SortKey | null;
}

/** One page of results. */
export interface SearchResult<T> {
  /** How many records match in all. */
  total: number;
  items: T[];
  /** The sort key of the last item, when more records follow it. */
  next: SortKey | null;
}

/** Narrowing the search to a time range of one indexed field. */
interface Narrowing<T> {
  field: FieldDef<T>;
  range: TimeRange;
  count: number;
}

/**
 * Runs searches over what a {@link DelayedIndex} shows. Timestamp fields get a sorted index the
 * first time a search needs one, kept in step through `onChange`, so that a date-range search
 * sorted by that date costs two binary searches and a page, and a range on another date narrows
 * the records a search has to test; anything else is a scan of the visible records.
 *
 * @example
 * const engine = new SearchEngine(workspace.contactSearch);
 * const page = engine.search({ now, query, sort, env, perPage: 50, after: null });
 */
export class SearchEngine<T extends { id: string }> {
  private readonly indexes = new Map<string, SortedIndex<T>>();

  constructor(private readonly source: DelayedIndex<T>) {
    source.onChange((before, after) => {
      for (const index of this.indexes.values()) index.change(before, after);
    });
  }

  /** Finds one page of the records matching `args.query`, in the requested order. */
  search(args: SearchArgs<T>): SearchResult<T> {
    const docs = this.source.visible(args.now);
    const ranges = this.rangesByField(args.query);
    const sortIndex = args.sort.field.timestamp === undefined ? undefined : this.index(args.sort.field, docs);
    const sortRange = ranges.get(args.sort.field.name)?.range ?? null;

    if (sortIndex !== undefined && sortRange !== null) {
      return this.walk(sortIndex.view(sortRange, args.sort.descending), docs, args, this.residual(args.query, args.sort.field.name));
    }
    let narrowing: Narrowing<T> | undefined;
    for (const { field, range } of ranges.values()) {
      const count = this.index(field, docs).count(range);
      if (narrowing === undefined || count < narrowing.count) narrowing = { field, range, count };
    }
    if (sortIndex !== undefined) {
      const view = sortIndex.view(null, args.sort.descending);
      // Walking the whole sorted index tests every record; testing the few a range on another
      // date leaves, then sorting them, is cheaper when that range is much smaller.
      if (narrowing === undefined || narrowing.count * 4 >= view.length) {
        return this.walk(view, docs, args, this.residual(args.query, args.sort.field.name));
      }
    }
    let candidates: Iterable<T> = docs.values();
    if (narrowing !== undefined) candidates = idsOf(this.index(narrowing.field, docs).view(narrowing.range, false), docs);
    return this.sortAndPage(candidates, args);
  }

  /** The sorted index of a timestamp field, made on first use and brought up to date. */
  private index(field: FieldDef<T>, docs: ReadonlyMap<string, T>): SortedIndex<T> {
    let index = this.indexes.get(field.name);
    const read = field.timestamp;
    if (index === undefined) {
      if (read === undefined) throw new Error(`search: ${field.name} has no timestamp to index`);
      index = new SortedIndex<T>(read);
      this.indexes.set(field.name, index);
    }
    index.refresh(docs);
    return index;
  }

  /** The top-level AND's date ranges on indexable fields, intersected per field. */
  private rangesByField(query: CompiledQuery<T>): Map<string, { field: FieldDef<T>; range: TimeRange }> {
    const ranges = new Map<string, { field: FieldDef<T>; range: TimeRange }>();
    for (const term of query.conjuncts) {
      if (term.range === null) continue;
      const known = ranges.get(term.range.field.name);
      const range = known === undefined
        ? term.range.range
        : { from: Math.max(known.range.from, term.range.range.from), to: Math.min(known.range.to, term.range.range.to) };
      ranges.set(term.range.field.name, { field: term.range.field, range });
    }
    return ranges;
  }

  /** The test of the terms a view of `fieldName`'s index does not already satisfy (null: none). */
  private residual(query: CompiledQuery<T>, fieldName: string): Predicate<T> | null {
    const rest = query.conjuncts.filter((t) => t.range?.field.name !== fieldName).map((t) => t.matches);
    if (rest.length === 0) return null;
    return (doc) => rest.every((test) => test(doc));
  }

  /** Pages through an index view in order, testing records only when some terms remain. */
  private walk(view: IndexView, docs: ReadonlyMap<string, T>, args: SearchArgs<T>, test: Predicate<T> | null): SearchResult<T> {
    const start = args.after === null ? 0 : view.firstAfter(args.after);
    const items: T[] = [];
    if (test === null) {
      for (let k = start; k < view.length && items.length < args.perPage; k++) {
        const doc = docs.get(view.idAt(k));
        if (doc !== undefined) items.push(doc);
      }
      const more = start + args.perPage < view.length;
      return { total: view.length, items, next: more ? this.keyOf(items, args) : null };
    }
    let total = 0;
    let more = false;
    for (let k = 0; k < view.length; k++) {
      const doc = docs.get(view.idAt(k));
      if (doc === undefined || !test(doc)) continue;
      total++;
      if (k < start) continue;
      if (items.length < args.perPage) items.push(doc);
      else more = true;
    }
    return { total, items, next: more ? this.keyOf(items, args) : null };
  }

  /** Tests candidates, sorts the matches and cuts the page after the cursor. */
  private sortAndPage(candidates: Iterable<T>, args: SearchArgs<T>): SearchResult<T> {
    const { field, descending } = args.sort;
    const hits: Array<{ key: SortKey; doc: T }> = [];
    for (const doc of candidates) {
      if (args.query.matches(doc)) hits.push({ key: { v: sortValue(field, doc, args.env, descending), id: doc.id }, doc });
    }
    hits.sort((a, b) => compareKeys(a.key, b.key, descending));
    let start = 0;
    if (args.after !== null) {
      const after = args.after;
      let hi = hits.length;
      while (start < hi) {
        const mid = (start + hi) >>> 1;
        if (compareKeys((hits[mid] as { key: SortKey }).key, after, descending) <= 0) start = mid + 1;
        else hi = mid;
      }
    }
    const page = hits.slice(start, start + args.perPage);
    const more = start + args.perPage < hits.length;
    const last = page[page.length - 1];
    return { total: hits.length, items: page.map((h) => h.doc), next: more && last !== undefined ? last.key : null };
  }

  private keyOf(items: readonly T[], args: SearchArgs<T>): SortKey | null {
    const last = items[items.length - 1];
    if (last === undefined) return null;
    return { v: sortValue(args.sort.field, last, args.env, args.sort.descending), id: last.id };
  }
}

function* idsOf<T>(view: IndexView, docs: ReadonlyMap<string, T>): Iterable<T> {
  for (let k = 0; k < view.length; k++) {
    const doc = docs.get(view.idAt(k));
    if (doc !== undefined) yield doc;
  }
}
