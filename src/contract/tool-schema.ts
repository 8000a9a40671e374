import { z } from "zod";
import { constantType, foldUnion } from "./schema-unions.js";

// Tool schemas for AI agents (MCP, Copilot Studio): plain JSON Schema that every agent host reads
// alike. Copilot Studio refuses `$ref`, `anyOf`/`oneOf` and a list of types, so a nullable value
// becomes its one type, and an object property that may be null is no longer required: a tool's
// result leaves such a property out when it is null (`withoutNulls`), which keeps the result
// valid against the schema without a second type.

/** A JSON value. */
export type ToolJson = null | boolean | number | string | ToolJson[] | ToolJsonObject;
/** A JSON object. */
export interface ToolJsonObject {
  [key: string]: ToolJson;
}

/**
 * A zod schema whose JSON Schema cannot be said without `$ref`, a union of unlike types, or a
 * keyword agent hosts do not read. `pointer` is where, as a JSON pointer.
 */
export class UnsafeToolSchemaError extends Error {
  readonly pointer: string;

  constructor(pointer: string, detail: string) {
    super(`A tool schema cannot express ${pointer === "" ? "/" : pointer}: ${detail}`);
    this.name = "UnsafeToolSchemaError";
    this.pointer = pointer;
  }
}

const toolFailure = (pointer: string, detail: string): Error => new UnsafeToolSchemaError(pointer, detail);

/** Keywords kept as they are (draft-07 and 2020-12 agree on them). */
const KEPT: ReadonlySet<string> = new Set([
  "title",
  "description",
  "default",
  "multipleOf",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "enum",
  "const",
  "type",
  "examples",
  "readOnly",
]);
/** Keywords that change nothing an agent needs: left out. */
const DROPPED: ReadonlySet<string> = new Set(["$schema", "$id", "$comment", "id", "deprecated", "writeOnly", "contentEncoding", "contentMediaType"]);

function isObject(value: unknown): value is ToolJsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A converted node, and whether null was one of its values (the caller decides what that means). */
interface Converted {
  schema: ToolJsonObject;
  nullable: boolean;
}

function convert(node: ToolJson, pointer: string): Converted {
  if (node === true) return { schema: {}, nullable: false };
  if (!isObject(node)) throw new UnsafeToolSchemaError(pointer, `a schema that is ${JSON.stringify(node)}`);
  let source = node;
  let nullable = false;
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const members = source[keyword];
    if (members === undefined) continue;
    if (!Array.isArray(members)) throw new UnsafeToolSchemaError(`${pointer}/${keyword}`, "not an array");
    const folded = foldUnion(members, `${pointer}/${keyword}`, toolFailure);
    nullable ||= folded.nullable;
    const outer = { ...source };
    delete outer[keyword];
    // The union's own title and description describe the whole: they win.
    source = { ...folded.schema, ...outer };
  }

  const out: ToolJsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    const at = `${pointer}/${key}`;
    if (DROPPED.has(key) || key.startsWith("x-")) continue;
    if (KEPT.has(key)) out[key] = value;
    else if (key === "properties") {
      if (!isObject(value)) throw new UnsafeToolSchemaError(at, "properties that are not an object");
      const properties: ToolJsonObject = {};
      const optional = new Set<string>();
      for (const [name, child] of Object.entries(value)) {
        const converted = convert(child, `${at}/${name}`);
        properties[name] = converted.schema;
        if (converted.nullable) optional.add(name);
      }
      out.properties = properties;
      const required = Array.isArray(source.required) ? source.required.filter((name): name is string => typeof name === "string" && !optional.has(name)) : [];
      if (required.length > 0) out.required = required;
    } else if (key === "required") continue; // written with `properties`
    else if (key === "items") {
      if (Array.isArray(value)) throw new UnsafeToolSchemaError(at, "a tuple");
      const items = convert(value, at);
      if (items.nullable) throw new UnsafeToolSchemaError(at, "list items that may be null");
      out.items = items.schema;
    } else if (key === "additionalProperties") {
      if (typeof value === "boolean") out.additionalProperties = value;
      else {
        const values = convert(value, at);
        if (values.nullable) throw new UnsafeToolSchemaError(at, "map values that may be null");
        out.additionalProperties = values.schema;
      }
    } else if (key === "propertyNames") {
      // A record's keys are strings, which JSON's are anyway.
      if (!(isObject(value) && value.type === "string" && Object.keys(value).length === 1)) throw new UnsafeToolSchemaError(at, "constrained property names");
    } else {
      throw new UnsafeToolSchemaError(at, `the keyword ${key}`);
    }
  }

  const type = out.type;
  if (Array.isArray(type)) {
    const kinds = type.filter((kind) => kind !== "null");
    nullable ||= kinds.length < type.length;
    const [kind] = kinds;
    if (kinds.length !== 1 || kind === undefined) throw new UnsafeToolSchemaError(`${pointer}/type`, `the types ${JSON.stringify(type)}`);
    out.type = kind;
  } else if (type === "null") {
    throw new UnsafeToolSchemaError(`${pointer}/type`, "a value that can only be null");
  }
  if (Array.isArray(out.enum) && out.enum.includes(null)) {
    out.enum = out.enum.filter((value) => value !== null);
    nullable = true;
  }
  if (out.const !== undefined && out.type === undefined) out.type = constantType(out.const, `${pointer}/const`, toolFailure);
  if (out.type === "integer") {
    // zod bounds every int by the safe integers; that says nothing to a reader.
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  return { schema: out, nullable };
}

/**
 * The agent-safe JSON Schema (draft-07) of a contract schema: no `$ref`, no `anyOf`/`oneOf`, at
 * most one `type` per node (a value that may be null has its other type; an object property that
 * may be null is not required). `io` picks the input or the output side of defaults and
 * transforms. Throws {@link UnsafeToolSchemaError} for what cannot be said so.
 *
 * @example
 * toolJsonSchema(z.object({ name: z.string().nullable() }), "output");
 * // { type: "object", properties: { name: { type: "string" } }, additionalProperties: false }
 */
export function toolJsonSchema(schema: z.ZodType, io: "input" | "output"): ToolJsonObject {
  const json = z.toJSONSchema(schema, { io, target: "draft-7", unrepresentable: "throw", reused: "inline", cycles: "throw" }) as ToolJson;
  if (isObject(json) && (json.definitions !== undefined || json.$defs !== undefined)) throw new UnsafeToolSchemaError("/definitions", "shared or recursive sub-schemas");
  const converted = convert(json, "");
  if (converted.nullable) throw new UnsafeToolSchemaError("", "a result that may be null");
  return converted.schema;
}

/**
 * A value as its tool schema says it: every property the schema types that is `null` is left out,
 * at any depth (what a tool's `structuredContent` carries, since such a property has one type and
 * is not required). What the schema leaves open (any JSON, a map's values) is kept as it is.
 *
 * @example
 * const schema = toolJsonSchema(z.object({ id: z.string(), name: z.string().nullable() }), "output");
 * withoutNulls(schema, { id: "1", name: null }); // { id: "1" }
 */
export function withoutNulls(schema: ToolJsonObject, value: unknown): unknown {
  const items = schema.items;
  if (Array.isArray(value)) return isObject(items) ? value.map((item) => withoutNulls(items, item)) : value;
  if (!isObject(value)) return value;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const others = schema.additionalProperties;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const known = properties[key];
    if (isObject(known)) {
      if (child !== null) out[key] = withoutNulls(known, child);
    } else out[key] = isObject(others) ? withoutNulls(others, child) : child;
  }
  return out;
}
