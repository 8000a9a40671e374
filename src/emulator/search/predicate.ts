import { dayBounds, dayStart, nextDayStart } from "./day.js";
import type { FieldDef, FieldValue, Operator, ReadEnv } from "./fields.js";
import type { FilterValue, QueryNode } from "./query.js";

/** A test of one record. */
export type Predicate<T> = (doc: T) => boolean;

/** Timestamps `from <= t < to` (either end may be infinite). */
export interface TimeRange {
  from: number;
  to: number;
}

/** One term of the query's top-level AND: its test and, for a day filter on a timestamp field, its range. */
export interface Conjunct<T> {
  matches: Predicate<T>;
  range: { field: FieldDef<T>; range: TimeRange } | null;
}

/** A query ready to run. */
export interface CompiledQuery<T> {
  matches: Predicate<T>;
  /** The query as an AND of terms (one term when the top is a single filter or an OR). */
  conjuncts: Array<Conjunct<T>>;
}

type Scalar = string | number | boolean;

/** Operators that are the negation of another: a record matches when no element matches that one. */
const NEGATION: Partial<Record<Operator, Operator>> = { "!=": "=", NIN: "IN", "!~": "~" };

/** The operators a day range can be made of. */
export type DayOperator = "=" | ">" | "<" | ">=" | "<=";

/**
 * The time range a date filter covers in a time zone, per Intercom's day semantics:
 * `=` the whole local day, `>` from the start of the next day, `<` before the start of the day;
 * `>=` from the start of the day, `<=` before the start of the next day.
 *
 * @example
 * dayRange("=", 1_577_869_200, "UTC"); // { from: 1577836800, to: 1577923200 }
 */
export function dayRange(operator: DayOperator, value: number, timeZone: string): TimeRange {
  switch (operator) {
    case ">=":
      return { from: dayStart(value, timeZone), to: Number.POSITIVE_INFINITY };
    case "<=":
      return { from: Number.NEGATIVE_INFINITY, to: nextDayStart(value, timeZone) };
    case "=": {
      const day = dayBounds(value, timeZone);
      return { from: day.start, to: day.end };
    }
    case ">":
      return { from: nextDayStart(value, timeZone), to: Number.POSITIVE_INFINITY };
    case "<":
      return { from: Number.NEGATIVE_INFINITY, to: dayStart(value, timeZone) };
  }
}

/** A test of one element of a reading, for a positive operator. */
function elementTest(type: FieldDef<unknown>["type"], operator: Operator, value: Exclude<FilterValue, null>, timeZone: string): (e: Scalar) => boolean {
  const list = Array.isArray(value) ? (value as readonly Scalar[]) : [value as Scalar];
  if (type === "date") {
    const ranges = list.map((v) => dayRange(operator === "IN" ? "=" : (operator as DayOperator), v as number, timeZone));
    return (e) => typeof e === "number" && ranges.some((r) => e >= r.from && e < r.to);
  }
  if (type === "string" || type === "tag") {
    const v = String(list[0]);
    const lower = (e: Scalar): string => String(e).toLowerCase();
    switch (operator) {
      case "~":
        return (e) => lower(e).includes(v);
      case "^":
        return (e) => lower(e).startsWith(v);
      case "$":
        return (e) => lower(e).endsWith(v);
      default: {
        const set = new Set(list.map(String));
        return (e) => set.has(lower(e));
      }
    }
  }
  const v = list[0] as number;
  switch (operator) {
    case ">":
      return (e) => typeof e === "number" && e > v;
    case "<":
      return (e) => typeof e === "number" && e < v;
    case ">=":
      return (e) => typeof e === "number" && e >= v;
    case "<=":
      return (e) => typeof e === "number" && e <= v;
    default: {
      const set = new Set<Scalar>(list);
      return (e) => set.has(e);
    }
  }
}

function compileFilter<T>(field: FieldDef<T>, operator: Operator, value: FilterValue, env: ReadEnv<T>, timeZone: string): Predicate<T> {
  const positive = NEGATION[operator] ?? operator;
  const negate = positive !== operator;
  let test: (reading: FieldValue) => boolean;
  if (value === null) {
    test = (reading) => reading === null || (Array.isArray(reading) && reading.length === 0);
  } else {
    const each = elementTest(field.type, positive, value, timeZone);
    // Most readings are one value: test it without making a list.
    test = (reading) => (reading === null ? false : Array.isArray(reading) ? (reading as readonly string[]).some(each) : each(reading as Scalar));
  }
  return negate ? (doc) => !test(field.read(doc, env)) : (doc) => test(field.read(doc, env));
}

function compileNode<T>(node: QueryNode<T>, env: ReadEnv<T>, timeZone: string): Predicate<T> {
  if (node.kind === "filter") return compileFilter(node.field, node.operator, node.value, env, timeZone);
  const children = node.children.map((c) => compileNode(c, env, timeZone));
  return node.operator === "AND" ? (doc) => children.every((p) => p(doc)) : (doc) => children.some((p) => p(doc));
}

function rangeOf<T>(node: QueryNode<T>, timeZone: string): Conjunct<T>["range"] {
  if (node.kind !== "filter" || node.field.timestamp === undefined || typeof node.value !== "number") return null;
  if (node.operator !== "=" && node.operator !== ">" && node.operator !== "<" && node.operator !== ">=" && node.operator !== "<=") return null;
  return { field: node.field, range: dayRange(node.operator, node.value, timeZone) };
}

/**
 * Compiles a checked query into record tests, with date filters resolved to instants in the
 * workspace's time zone once, and the top-level AND split so indexes can narrow the search.
 *
 * @example
 * const q = compileQuery(request.query, { serialized: (c) => serializeContact(ws, c) }, ws.timezone);
 * const hits = [...docs].filter(q.matches);
 */
export function compileQuery<T>(query: QueryNode<T>, env: ReadEnv<T>, timeZone: string): CompiledQuery<T> {
  const terms = query.kind === "group" && query.operator === "AND" ? query.children : [query];
  const conjuncts = terms.map((term) => ({ matches: compileNode(term, env, timeZone), range: rangeOf(term, timeZone) }));
  const tests = conjuncts.map((c) => c.matches);
  const matches: Predicate<T> = tests.length === 1 && tests[0] !== undefined ? tests[0] : (doc) => tests.every((t) => t(doc));
  return { matches, conjuncts };
}
