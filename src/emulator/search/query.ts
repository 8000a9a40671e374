import { IntercomApiError } from "../errors.js";
import { parsePerPage } from "../pagination.js";
import { MAX_TIMESTAMP, MIN_TIMESTAMP } from "./day.js";
import { OPERATORS, type FieldDef, type FieldType, type Operator, type SearchCatalog } from "./fields.js";

/** The most filters an AND/OR group may hold (the description: "max 15 filters"). */
export const MAX_GROUP_SIZE = 15;
/** How deep AND/OR groups may nest (the description: "max 2 nested filters"). */
export const MAX_GROUP_DEPTH = 2;

/** A filter's value after checking: numbers for dates and integers, lower-cased strings. */
export type FilterValue = string | number | boolean | null | ReadonlyArray<string | number | boolean>;

/** A checked query: a filter on a known field, or an AND/OR group. */
export type QueryNode<T> =
  | { kind: "group"; operator: "AND" | "OR"; children: Array<QueryNode<T>> }
  | { kind: "filter"; field: FieldDef<T>; operator: Operator; value: FilterValue };

/** A checked search request. */
export interface SearchRequest<T> {
  query: QueryNode<T>;
  perPage: number;
  /** The raw `pagination.starting_after`, checked later against the sort. */
  startingAfter: string | null;
  sort: { field: FieldDef<T>; descending: boolean };
}

function invalid(message: string, field: string): IntercomApiError {
  return new IntercomApiError(400, "parameter_invalid", message, { field });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw invalid(`${where === "" ? "" : `${where}.`}${key} is not a recognised parameter`, where === "" ? key : `${where}.${key}`);
  }
}

/** What a JSON value is, for messages. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `"${v}"`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v === "object" ? "an object" : typeof v;
}

const INTEGER_STRING = /^-?\d+$/;
const NUMBER_STRING = /^-?\d+(\.\d+)?$/;

/** One scalar value checked against the field's type. */
function scalar<T>(field: FieldDef<T>, operator: Operator, raw: unknown): string | number | boolean {
  const bad = (expected: string): IntercomApiError =>
    invalid(`Value ${describe(raw)} is not valid for field ${field.name} with operator ${operator}: expected ${expected}`, field.name);
  switch (field.type) {
    case "date": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && INTEGER_STRING.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isInteger(n) || n < MIN_TIMESTAMP || n > MAX_TIMESTAMP) throw bad("a UNIX timestamp (integer seconds)");
      return n;
    }
    case "integer": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && NUMBER_STRING.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) throw bad("a number");
      return n;
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      throw bad("true or false");
    case "string":
    case "tag": {
      if (typeof raw !== "string") throw bad("a string");
      const value = raw.toLowerCase();
      const equality = operator === "=" || operator === "!=" || operator === "IN" || operator === "NIN";
      if (field.allowed !== undefined && equality && !field.allowed.includes(value)) throw bad(`one of ${field.allowed.join(", ")}`);
      return value;
    }
  }
}

function filterValue<T>(field: FieldDef<T>, operator: Operator, raw: unknown): FilterValue {
  if (operator === "IN" || operator === "NIN") {
    if (!Array.isArray(raw)) throw invalid(`Operator ${operator} on field ${field.name} needs an array value, got ${describe(raw)}`, field.name);
    if (raw.length === 0) throw invalid(`Operator ${operator} on field ${field.name} needs at least one value`, field.name);
    return raw.map((item: unknown) => scalar(field, operator, item));
  }
  if (Array.isArray(raw)) throw invalid(`Operator ${operator} on field ${field.name} takes one value, not an array (use IN or NIN)`, field.name);
  if (raw === undefined) throw new IntercomApiError(400, "parameter_not_found", `value is required for field ${field.name}`, { field: field.name });
  if (raw === null) {
    // `= null` finds records without a value, `!= null` those with one.
    if (operator === "=" || operator === "!=") return null;
    throw invalid(`Operator ${operator} on field ${field.name} needs a value`, field.name);
  }
  return scalar(field, operator, raw);
}

const TYPE_NAMES: Record<FieldType, string> = { string: "string", integer: "integer", boolean: "boolean", date: "date", tag: "tag_id" };

function parseFilter<T>(node: Record<string, unknown>, catalog: SearchCatalog<T>, docs: () => Iterable<T>, where: string): QueryNode<T> {
  rejectUnknownKeys(node, ["field", "operator", "value"], where);
  const name = node.field;
  if (name === undefined) throw new IntercomApiError(400, "parameter_not_found", `${where}.field is required`, { field: `${where}.field` });
  if (typeof name !== "string" || name === "") throw invalid(`${where}.field must be a field name`, `${where}.field`);
  const field = catalog.field(name, docs);
  if (field === undefined) throw invalid(`${name} is not a searchable ${catalog.resource} field`, name);
  const operator = node.operator;
  if (operator === undefined) throw new IntercomApiError(400, "parameter_not_found", `operator is required for field ${name}`, { field: name });
  if (typeof operator !== "string" || !(OPERATORS as readonly string[]).includes(operator)) {
    throw invalid(`Operator ${describe(operator)} is not a valid operator (field ${name})`, name);
  }
  const op = operator as Operator;
  const accepted = field.operators ?? catalog.operators[field.type];
  if (!accepted.includes(op)) {
    throw invalid(`Operator ${op} is not supported for field ${name}: ${TYPE_NAMES[field.type]} fields accept ${accepted.join(", ")}`, name);
  }
  return { kind: "filter", field, operator: op, value: filterValue(field, op, node.value) };
}

function parseNode<T>(node: unknown, catalog: SearchCatalog<T>, docs: () => Iterable<T>, where: string, depth: number): QueryNode<T> {
  if (!isObject(node)) throw invalid(`${where} must be a filter or an AND/OR group, got ${describe(node)}`, where);
  if (node.operator !== "AND" && node.operator !== "OR") return parseFilter(node, catalog, docs, where);
  if ("field" in node) throw invalid(`${where} has field ${describe(node.field)} with group operator ${node.operator}`, where);
  rejectUnknownKeys(node, ["operator", "value"], where);
  if (depth > MAX_GROUP_DEPTH) {
    throw invalid(`${where}: AND/OR groups may be nested at most ${MAX_GROUP_DEPTH} levels deep`, where);
  }
  const items = node.value;
  if (!Array.isArray(items) || items.length === 0) throw invalid(`${where}.value of an ${node.operator} group must be a non-empty array of filters`, `${where}.value`);
  if (items.length > MAX_GROUP_SIZE) {
    throw invalid(`${where}: an ${node.operator} group may hold at most ${MAX_GROUP_SIZE} filters, got ${items.length}`, `${where}.value`);
  }
  const children = items.map((child: unknown, i) => parseNode(child, catalog, docs, `${where}.value[${i}]`, depth + 1));
  return { kind: "group", operator: node.operator, children };
}

function parseSort<T>(raw: unknown, catalog: SearchCatalog<T>, docs: () => Iterable<T>): SearchRequest<T>["sort"] {
  const spec = raw === undefined || raw === null ? catalog.defaultSort : raw;
  if (!isObject(spec)) throw invalid("sort must be an object with field and order", "sort");
  rejectUnknownKeys(spec, ["field", "order"], "sort");
  const name = spec.field ?? catalog.defaultSort.field;
  if (typeof name !== "string") throw invalid("sort.field must be a field name", "sort.field");
  const field = catalog.field(name, docs);
  if (field === undefined) throw invalid(`Cannot sort by ${name}: not a searchable ${catalog.resource} field`, "sort.field");
  // Without an order, newest (largest) first, like the default sort.
  const order = spec.order ?? "descending";
  if (order !== "ascending" && order !== "descending") throw invalid(`sort.order must be ascending or descending, got ${describe(order)}`, "sort.order");
  return { field, descending: order === "descending" };
}

/**
 * Checks a search body (`search_request`, plus Intercom's `sort`) against a catalog and returns
 * it normalized; anything wrong is a 400 `parameter_invalid` naming the field or operator
 * (`parameter_not_found` when `query` is missing).
 *
 * @example
 * const request = parseSearchRequest({ query: { field: "email", operator: "~", value: "example" } }, CONTACT_SEARCH, () => []);
 * request.perPage; // 50
 */
export function parseSearchRequest<T>(body: unknown, catalog: SearchCatalog<T>, docs: () => Iterable<T>): SearchRequest<T> {
  if (!isObject(body)) throw new IntercomApiError(400, "bad_request", "Request body must be a JSON object");
  rejectUnknownKeys(body, ["query", "pagination", "sort"], "");
  if (body.query === undefined || body.query === null) throw new IntercomApiError(400, "parameter_not_found", "query is required", { field: "query" });
  const query = parseNode(body.query, catalog, docs, "query", 1);
  const pagination = body.pagination ?? {};
  if (!isObject(pagination)) throw invalid("pagination must be an object", "pagination");
  rejectUnknownKeys(pagination, ["per_page", "starting_after"], "pagination");
  const perPage = pagination.per_page === undefined || pagination.per_page === null ? catalog.defaultPerPage : parsePerPage(pagination.per_page, "per_page");
  const after = pagination.starting_after;
  if (after !== undefined && after !== null && typeof after !== "string") throw invalid("starting_after must be a string", "starting_after");
  return {
    query,
    perPage,
    startingAfter: typeof after === "string" && after !== "" ? after : null,
    sort: parseSort(body.sort, catalog, docs),
  };
}
