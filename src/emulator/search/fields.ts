/**
 * What a search field is: its type (which decides the operators it accepts and how values are
 * read), how to read it from a stored record, and whether a sorted index can serve it.
 */

/** The operators of `single_filter_search_request`. */
export const OPERATORS = ["=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"] as const;

/** One of {@link OPERATORS}. */
export type Operator = (typeof OPERATORS)[number];

/**
 * A field's search type. `tag` is the contacts' `tag_id` (only `=` and `!=`); `date` fields are
 * matched by calendar day in the workspace's time zone.
 */
export type FieldType = "string" | "integer" | "boolean" | "date" | "tag";

/** What reading a field gives: one value, nothing, or several (ids lists, body words). */
export type FieldValue = string | number | boolean | null | readonly string[];

/** Per-query help for fields that are not kept on the record (e.g. conversation statistics). */
export interface ReadEnv<T> {
  /** The record as the API answers it (computed once per record and query). */
  serialized(doc: T): Record<string, unknown>;
}

/** A searchable field. */
export interface FieldDef<T> {
  /** The name queries use (`location.city`, `custom_attributes.plan`). */
  name: string;
  type: FieldType;
  read(doc: T, env: ReadEnv<T>): FieldValue;
  /**
   * A plain timestamp on the record: such fields get a sorted index (date ranges and sorting are
   * served by binary search instead of a scan).
   */
  timestamp?: (doc: T) => number | null;
  /** The only values the equality operators accept (e.g. `role`: user, lead). */
  allowed?: readonly string[];
  /** Operators this field accepts instead of its type's (tickets' `created_at` also takes `>=`, `<=`). */
  operators?: readonly Operator[];
}

/** The fields of one searchable resource and the rules its endpoint applies. */
export interface SearchCatalog<T> {
  /** Names the resource in cursors and messages. */
  resource: "contacts" | "conversations" | "tickets";
  /** Operators accepted per field type: the endpoint's "Accepted Operators" table. */
  operators: Readonly<Record<FieldType, readonly Operator[]>>;
  /** The field with this name, or undefined. `docs` lets dynamic fields look at the data. */
  field(name: string, docs: () => Iterable<T>): FieldDef<T> | undefined;
  defaultSort: { field: string; order: "ascending" | "descending" };
  defaultPerPage: number;
}

/**
 * A field read straight from a record property path.
 *
 * @example
 * const city = pathField<{ location: { city: string | null } }>("location.city", "string", (c) => c.location.city);
 */
export function pathField<T>(name: string, type: FieldType, read: (doc: T) => FieldValue, extra: Partial<FieldDef<T>> = {}): FieldDef<T> {
  return { name, type, read: (doc) => read(doc), ...extra };
}

/**
 * A timestamp field on the record; it can have a sorted index.
 *
 * @example
 * const created = timestampField<{ created_at: number }>("created_at", (c) => c.created_at);
 */
export function timestampField<T>(name: string, read: (doc: T) => number | null): FieldDef<T> {
  return { name, type: "date", read: (doc) => read(doc), timestamp: read };
}

/**
 * A field of the answered (serialized) form, for values the stored record does not keep.
 * The value is coerced to the field's type; anything else reads as null.
 *
 * @example
 * const score = serializedField<{ id: string }>("conversation_rating.score", "integer", ["conversation_rating", "rating"]);
 */
export function serializedField<T>(name: string, type: FieldType, path: readonly string[]): FieldDef<T> {
  return {
    name,
    type,
    read(doc, env) {
      let value: unknown = env.serialized(doc);
      for (const key of path) {
        if (typeof value !== "object" || value === null) return null;
        value = (value as Record<string, unknown>)[key];
      }
      return coerce(value, type);
    },
  };
}

/**
 * A stored value as a field of the given type reads it (anything unfit reads as null).
 *
 * @example
 * coerce(42, "string"); // "42"
 */
export function coerce(value: unknown, type: FieldType): FieldValue {
  switch (type) {
    case "date":
    case "integer":
      return typeof value === "number" && Number.isFinite(value) ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "string":
    case "tag":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
      return null;
  }
}
