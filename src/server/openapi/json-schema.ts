import { z } from "zod";
import { constantType, foldUnion } from "../../contract/schema-unions.js";

/** A JSON value as the OpenAPI file holds it. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** A Swagger 2.0 schema object (with `x-` extensions). */
export type SwaggerSchema = JsonObject;

/**
 * A zod schema whose JSON Schema has something Swagger 2.0 cannot say (a union of unlike types, a
 * tuple, a conditional…). `pointer` is where, as a JSON pointer into the generated JSON Schema.
 */
export class UnsupportedSchemaError extends Error {
  readonly pointer: string;

  constructor(pointer: string, detail: string) {
    super(`Swagger 2.0 cannot express the schema at ${pointer === "" ? "/" : pointer}: ${detail}`);
    this.name = "UnsupportedSchemaError";
    this.pointer = pointer;
  }
}

const swaggerFailure = (pointer: string, detail: string): Error => new UnsupportedSchemaError(pointer, detail);

/** Formats Swagger 2.0 and Power Platform know (apiDefinition.swagger.schema.json's `format`). */
const SWAGGER_FORMATS: ReadonlySet<string> = new Set([
  "int32",
  "int64",
  "float",
  "double",
  "byte",
  "binary",
  "date",
  "date-time",
  "password",
  "date-no-tz",
  "email",
  "html",
  "uri",
  "uuid",
]);

/** Keywords that mean the same in JSON Schema 2020-12 and a Swagger 2.0 schema object. */
const KEPT: ReadonlySet<string> = new Set([
  "title",
  "description",
  "default",
  "multipleOf",
  "maximum",
  "minimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "enum",
  "type",
  "readOnly",
  "example",
]);

/** Keywords with no effect on what is valid, or none Swagger 2.0 can use: left out. */
const DROPPED: ReadonlySet<string> = new Set(["$schema", "$id", "$comment", "$defs", "id", "deprecated", "writeOnly", "contentEncoding", "contentMediaType"]);

/** Keywords that describe without constraining. */
const ANNOTATIONS: ReadonlySet<string> = new Set(["title", "description", "default", "example", "examples", "readOnly"]);

/** Where a generated schema refers to the named definitions. */
const DEFINITIONS_PREFIX = "#/definitions/";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function convertNode(node: Json, pointer: string): SwaggerSchema {
  if (node === true) return {};
  if (!isObject(node)) throw new UnsupportedSchemaError(pointer, `a schema that is ${JSON.stringify(node)}`);

  let source: JsonObject = node;
  let nullable = false;
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const members = source[keyword];
    if (members === undefined) continue;
    if (!Array.isArray(members)) throw new UnsupportedSchemaError(`${pointer}/${keyword}`, "not an array");
    const folded = foldUnion(members, `${pointer}/${keyword}`, swaggerFailure);
    nullable ||= folded.nullable;
    const outer = { ...source };
    delete outer[keyword];
    // The union's own annotations (title, description) describe the whole; they win.
    source = "$ref" in folded.schema && Object.keys(outer).length > 0 ? { allOf: [folded.schema], ...outer } : { ...folded.schema, ...outer };
  }

  if ("$ref" in source) {
    // A named schema reached through a clone (`.meta()`): the reference says it all; only the
    // clone's annotations stay.
    source = Object.fromEntries(Object.entries(source).filter(([key]) => key === "$ref" || ANNOTATIONS.has(key) || key.startsWith("x-")));
  }

  const out: SwaggerSchema = {};
  for (const [key, value] of Object.entries(source)) {
    const at = `${pointer}/${key}`;
    if (KEPT.has(key)) out[key] = value;
    else if (DROPPED.has(key)) continue;
    else if (key.startsWith("x-")) out[key] = value;
    else if (key === "$ref") {
      if (typeof value !== "string" || !value.startsWith(DEFINITIONS_PREFIX)) throw new UnsupportedSchemaError(at, `a reference to ${JSON.stringify(value)}`);
      out.$ref = value;
    } else if (key === "format") {
      // Other formats (ipv4, duration…) keep their meaning through `pattern`, which zod emits too.
      if (typeof value === "string" && SWAGGER_FORMATS.has(value)) out.format = value;
    } else if (key === "const") {
      out.enum = [value];
      out.type ??= constantType(value, at, swaggerFailure);
    } else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") {
      if (typeof value !== "number") throw new UnsupportedSchemaError(at, "a boolean exclusive bound without its bound");
      const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
      if (bound in source) throw new UnsupportedSchemaError(at, `both ${bound} and ${key}`);
      out[bound] = value;
      out[key] = true;
    } else if (key === "examples") {
      if (Array.isArray(value) && value.length > 0 && value[0] !== undefined) out.example = value[0];
    } else if (key === "required") {
      if (Array.isArray(value) && value.length > 0) out.required = value;
    } else if (key === "properties") {
      if (!isObject(value)) throw new UnsupportedSchemaError(at, "properties that are not an object");
      out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, convertNode(child, `${at}/${name}`)]));
    } else if (key === "items") {
      if (Array.isArray(value)) throw new UnsupportedSchemaError(at, "a tuple");
      out.items = convertNode(value, at);
    } else if (key === "additionalProperties") {
      out.additionalProperties = typeof value === "boolean" ? value : convertNode(value, at);
    } else if (key === "propertyNames") {
      // A record's keys: Swagger 2.0 has no way to constrain them beyond "strings", which they are.
      if (!(isObject(value) && value.type === "string" && Object.keys(value).length === 1)) throw new UnsupportedSchemaError(at, "constrained property names");
    } else if (key === "allOf") {
      if (!Array.isArray(value)) throw new UnsupportedSchemaError(at, "not an array");
      out.allOf = value.map((member, i) => convertNode(member, `${at}/${i}`));
    } else {
      throw new UnsupportedSchemaError(at, `the keyword ${key}`);
    }
  }

  const type = out.type;
  if (Array.isArray(type)) {
    const kinds = type.filter((kind) => kind !== "null");
    nullable ||= kinds.length < type.length;
    const [kind] = kinds;
    if (kinds.length !== 1 || kind === undefined) throw new UnsupportedSchemaError(`${pointer}/type`, `the types ${JSON.stringify(type)}`);
    out.type = kind;
  } else if (type === "null") {
    throw new UnsupportedSchemaError(`${pointer}/type`, "a value that can only be null");
  }
  if (Array.isArray(out.enum) && out.enum.includes(null)) {
    out.enum = out.enum.filter((value) => value !== null);
    nullable = true;
  }
  if (out.type === "integer") {
    // zod bounds every int by the safe integers; that says nothing to a reader.
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  if (nullable) out["x-nullable"] = true;
  return out;
}

/**
 * Converts a JSON Schema (draft 2020-12, as `z.toJSONSchema` writes it) into a Swagger 2.0 schema
 * object: `null` in a type or union becomes `x-nullable: true`, `const` an `enum`, numeric
 * `exclusiveMinimum`/`exclusiveMaximum` the draft-04 boolean form, `examples` an `example`;
 * formats Power Platform does not know are left to `pattern`. Anything Swagger 2.0 cannot say
 * throws {@link UnsupportedSchemaError} rather than being described wrongly.
 *
 * @example
 * toSwagger2({ type: ["string", "null"], maxLength: 255 }); // { type: "string", maxLength: 255, "x-nullable": true }
 */
export function toSwagger2(schema: Json): SwaggerSchema {
  if (isObject(schema) && isObject(schema.$defs) && Object.keys(schema.$defs).length > 0) {
    throw new UnsupportedSchemaError("/$defs", "shared or recursive sub-schemas; give them a definition name instead");
  }
  return convertNode(schema, "");
}

/** Named definitions: each zod schema listed is written once under `definitions` and referred to. */
export type DefinitionNames = ReadonlyMap<z.ZodType, string>;

/**
 * The Swagger 2.0 schema of a zod schema, with every schema named in `names` (except the one
 * converted) as a `$ref` to `#/definitions/<name>`. `io` picks the input or output side of
 * transforms and defaults (request bodies are inputs, responses outputs).
 *
 * @example
 * const names = new Map([[Lead_Response, "Lead_Response"]]);
 * zodToSwagger(z.array(Lead_Response), names, "output"); // { type: "array", items: { $ref: "#/definitions/Lead_Response" } }
 */
export function zodToSwagger(schema: z.ZodType, names: DefinitionNames, io: "input" | "output"): SwaggerSchema {
  const jsonSchema = z.toJSONSchema(schema, {
    io,
    unrepresentable: "throw",
    override: (ctx) => {
      const name = names.get(ctx.zodSchema as unknown as z.ZodType);
      if (name === undefined || ctx.zodSchema === (schema as unknown)) return;
      const target = ctx.jsonSchema as Record<string, unknown>;
      for (const key of Object.keys(target)) delete target[key];
      target.$ref = `${DEFINITIONS_PREFIX}${name}`;
    },
  });
  return toSwagger2(jsonSchema as Json);
}
