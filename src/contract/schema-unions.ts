// What JSON Schema's unions become where a reader takes one type per value (the Swagger file,
// an agent's tool schema): shared by both converters, each failing in its own error.

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObjectValue;
/** A JSON object. */
export interface JsonObjectValue {
  [key: string]: JsonValue;
}

/** Makes the converter's own error for a schema it cannot express at `pointer`. */
export type SchemaFailure = (pointer: string, detail: string) => Error;

function isObject(value: unknown): value is JsonObjectValue {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A member that allows only null (annotations aside). */
function isNullSchema(value: unknown): boolean {
  return isObject(value) && value.type === "null" && Object.keys(value).filter((key) => key !== "title" && key !== "description").length === 1;
}

/**
 * The JSON type of a constant: string, boolean, integer or number (anything else fails).
 *
 * @example
 * constantType(3, "/const", (p, d) => new Error(`${p}: ${d}`)); // "integer"
 */
export function constantType(value: JsonValue, pointer: string, fail: SchemaFailure): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  throw fail(pointer, "a constant that is not a string, number or boolean");
}

/**
 * One schema for a union, when one can say it: its one member besides `null` (nullable), or
 * constants of one type (an enum). Any other union fails.
 *
 * @example
 * foldUnion([{ type: "string" }, { type: "null" }], "/anyOf", fail); // { schema: { type: "string" }, nullable: true }
 */
export function foldUnion(members: readonly JsonValue[], pointer: string, fail: SchemaFailure): { schema: JsonObjectValue; nullable: boolean } {
  const others = members.filter((member) => !isNullSchema(member));
  const nullable = others.length < members.length;
  const [only] = others;
  if (others.length === 1 && isObject(only)) return { schema: only, nullable };
  const values = others.flatMap((member) => (isObject(member) && member.const !== undefined ? [member.const] : []));
  if (others.length > 1 && values.length === others.length) {
    const types = new Set(values.map((value) => constantType(value, pointer, fail)));
    const [type] = types;
    if (types.size === 1 && type !== undefined) return { schema: { type, enum: values }, nullable };
  }
  throw fail(pointer, "a union of unlike schemas (anyOf/oneOf)");
}
