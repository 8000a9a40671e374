import { z } from "zod";
import { pickedFrom } from "../pickers.js";

// Intercom's search grammar (`search_request.query` of the 2.14 description): a filter
// `{field, operator, value}` or an AND/OR group of them, nested at most 2 levels deep and 15 items
// a group. Swagger 2.0 cannot say a recursive union, so the schema is one node shape whose
// `value` is untyped, and the grammar is checked by walking the tree: every mistake names its path
// (`query.value.1.operator`) before any Intercom call.

/** The operators of a single filter (`single_filter_search_request.operator`). */
export const SEARCH_FILTER_OPERATORS = ["=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"] as const;
/** One of {@link SEARCH_FILTER_OPERATORS}. */
export type SearchFilterOperator = (typeof SEARCH_FILTER_OPERATORS)[number];
/** The operators of a group (`multiple_filter_search_request.operator`). */
export const SEARCH_GROUP_OPERATORS = ["AND", "OR"] as const;
/** The most items an AND/OR group holds (Intercom: "max 15 filters"). */
export const SEARCH_MAX_GROUP_SIZE = 15;
/** How deep AND/OR groups nest (Intercom: "max 2 nested filters"): the query's group is level 1. */
export const SEARCH_MAX_GROUP_DEPTH = 2;
/**
 * The longest query accepted, as JSON: its next pages carry it in a cursor in a URL, and the
 * request line must stay inside Node's 16 KB header limit (base64 adds a third).
 */
export const SEARCH_MAX_QUERY_JSON = 6_000;
/** The longest field name or text value accepted. */
const MAX_SEARCH_TEXT = 255;

/** A filter's value: one scalar, or a list for `IN` and `NIN`. */
export type SearchFilterValue = string | number | boolean | null | Array<string | number>;

/**
 * A checked search query, as Intercom's `POST /contacts/search` takes it.
 *
 * @example
 * const q: SearchContactsQuery = { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "$", value: "@example.com" }] };
 */
export type SearchContactsQuery =
  | { field: string; operator: SearchFilterOperator; value: SearchFilterValue }
  | { operator: "AND" | "OR"; value: SearchContactsQuery[] };

const NODE_SHAPE = "must be a filter {field, operator, value} or a group {operator: AND|OR, value: [...]}";

type Path = Array<string | number>;
type Report = (path: Path, message: string) => void;

const TEXT_ONLY: ReadonlySet<string> = new Set(["~", "!~", "^", "$"]);
const NULL_ALLOWED: ReadonlySet<string> = new Set(["=", "!="]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isGroupOperator(value: unknown): value is "AND" | "OR" {
  return value === "AND" || value === "OR";
}

function scalarProblem(value: unknown, operator: string): string | null {
  if (typeof value === "string") return value.length > MAX_SEARCH_TEXT ? `must be at most ${MAX_SEARCH_TEXT} characters` : null;
  if (TEXT_ONLY.has(operator)) return `must be a string with operator ${operator}`;
  if (typeof value === "number") return Number.isFinite(value) ? null : "must be a finite number";
  if (typeof value === "boolean") return null;
  if (value === null) return NULL_ALLOWED.has(operator) ? null : `cannot be null with operator ${operator} (only = and != take null)`;
  return "must be a string, a number, a boolean or null";
}

function checkFilter(node: Record<string, unknown>, path: Path, report: Report): void {
  for (const key of Object.keys(node)) if (key !== "field" && key !== "operator" && key !== "value") report([...path, key], "is not a known field of a filter");
  const { field, operator, value } = node;
  if (field === undefined) report([...path, "field"], "is required in a filter");
  else if (typeof field !== "string" || field.length === 0 || field.length > MAX_SEARCH_TEXT) report([...path, "field"], `must be a field name of 1 to ${MAX_SEARCH_TEXT} characters`);
  if (!(SEARCH_FILTER_OPERATORS as readonly unknown[]).includes(operator)) {
    report([...path, "operator"], `must be one of ${SEARCH_FILTER_OPERATORS.join(" ")}`);
    return;
  }
  const op = operator as SearchFilterOperator;
  if (!("value" in node)) {
    report([...path, "value"], "is required in a filter (null finds contacts without the field)");
  } else if (op === "IN" || op === "NIN") {
    if (!Array.isArray(value) || value.length === 0) report([...path, "value"], `must be a non-empty array with operator ${op}`);
    else value.forEach((item: unknown, i) => {
      const problem = typeof item === "boolean" || item === null ? "must be a string or a number" : scalarProblem(item, op);
      if (problem !== null) report([...path, "value", i], problem);
    });
  } else if (Array.isArray(value)) {
    report([...path, "value"], `must be one value with operator ${op} (IN and NIN take a list)`);
  } else {
    const problem = scalarProblem(value, op);
    if (problem !== null) report([...path, "value"], problem);
  }
}

function checkNode(node: unknown, path: Path, depth: number, report: Report): void {
  if (!isRecord(node)) {
    report(path, NODE_SHAPE);
    return;
  }
  if (!isGroupOperator(node.operator)) {
    checkFilter(node, path, report);
    return;
  }
  if (depth > SEARCH_MAX_GROUP_DEPTH) {
    report([...path, "operator"], `groups nest at most ${SEARCH_MAX_GROUP_DEPTH} levels deep: this must be a filter operator (${SEARCH_FILTER_OPERATORS.join(" ")})`);
    return;
  }
  for (const key of Object.keys(node)) if (key !== "operator" && key !== "value") report([...path, key], "is not a known field of an AND/OR group");
  const items = node.value;
  if (!Array.isArray(items) || items.length === 0) {
    report([...path, "value"], `must be a non-empty array of filters or groups with operator ${node.operator}`);
    return;
  }
  if (items.length > SEARCH_MAX_GROUP_SIZE) {
    report([...path, "value"], `must hold at most ${SEARCH_MAX_GROUP_SIZE} filters or groups, got ${items.length}`);
    return;
  }
  items.forEach((item: unknown, i) => checkNode(item, [...path, "value", i], depth + 1, report));
}

/**
 * Intercom's search query as a contract field: a filter or a nested AND/OR group, checked whole
 * (operators, value kinds, 2 levels, 15 a group) with each problem at its path.
 *
 * @example
 * const r = SearchQueryField.safeParse({ operator: "OR", value: [{ field: "email", operator: "~", value: "acme" }] });
 * r.success; // true
 */
export const SearchQueryField = z
  .strictObject(
    {
    field: z.string().optional().meta({ title: "Field", description: "For a filter: the contact field to match, e.g. email, role, created_at or custom_attributes.plan.", ...pickedFrom("contact_attributes") }),
    operator: z
      .enum([...SEARCH_FILTER_OPERATORS, ...SEARCH_GROUP_OPERATORS], { error: `must be one of ${[...SEARCH_FILTER_OPERATORS, ...SEARCH_GROUP_OPERATORS].join(" ")}` })
      .meta({ title: "Operator", description: "For a filter: = != IN NIN < <= > >= ~ (contains) !~ ^ (starts with) $ (ends with). For a group: AND or OR." }),
    value: z.unknown().meta({
      title: "Value",
      description: "For a filter: the value (dates as UNIX seconds, matched by day; a list for IN and NIN). For a group: an array of up to 15 filters or groups, 2 levels deep at most.",
    }),
    },
    { error: NODE_SHAPE },
  )
  .superRefine((query, ctx) => {
    let problems = 0;
    checkNode(query, [], 1, (path, message) => {
      problems++;
      ctx.addIssue({ code: "custom", path, message });
    });
    if (problems === 0 && JSON.stringify(query).length > SEARCH_MAX_QUERY_JSON) {
      ctx.addIssue({ code: "custom", path: [], message: `must be at most ${SEARCH_MAX_QUERY_JSON} characters as JSON (its next pages carry it in a URL)` });
    }
  })
  .transform((query) => query as SearchContactsQuery)
  .meta({ title: "Query", description: "Intercom's search query: a filter {field, operator, value} or a group {operator: AND|OR, value: [filters or groups]}." });

/**
 * The order of a search: a contact field and a direction.
 *
 * @example
 * SearchSortField.parse({ field: "created_at", order: "ascending" });
 */
export const SearchSortField = z
  .strictObject({
    field: z.string().min(1, { error: "must be a field name" }).max(MAX_SEARCH_TEXT).meta({ title: "Sort Field", description: "The contact field to sort by, e.g. created_at." }),
    order: z.enum(["ascending", "descending"], { error: "must be ascending or descending" }).meta({ title: "Sort Order", description: "ascending or descending." }),
  })
  .meta({ title: "Sort", description: "The order of the results; Intercom's default is newest first." });
