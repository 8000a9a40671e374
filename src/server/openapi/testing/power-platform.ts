import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

// Microsoft's JSON Schemas for custom-connector files and two certified connectors, vendored in
// vendor/power-platform/ (see its README.md), and validators built from them.

/** vendor/power-platform/ */
export const POWER_PLATFORM_DIR = fileURLToPath(new URL("../../../../vendor/power-platform/", import.meta.url));

/** The certified examples: one whose triggers poll, one whose triggers are webhooks. */
export const CERTIFIED_EXAMPLES = ["feathery-forms-polling", "africas-talking-sms-webhooks"] as const;

// Both packages are CommonJS whose `module.exports` is the function itself.
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Reads a JSON file that may hold `//` and `/* *\/` comments (Microsoft's schemas do); a syntax
 * error throws, naming the file and the offset.
 *
 * @example
 * const schema = readJsonc(`${POWER_PLATFORM_DIR}/apiDefinition.swagger.schema.json`);
 */
export function readJsonc(path: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(readFileSync(path, "utf8"), errors, { allowTrailingComma: false, disallowComments: false });
  const [first] = errors;
  if (first !== undefined) throw new SyntaxError(`${path}: ${printParseErrorCode(first.error)} at offset ${first.offset}`);
  return value;
}

/** A validator: the problems found, empty when the document is valid. */
export type Validate = (document: unknown) => string[];

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath === "" ? "/" : error.instancePath} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
}

function validator(validate: ValidateFunction): Validate {
  return (document) => (validate(document) ? [] : describe(validate.errors));
}

let apiDefinition: Validate | undefined;
let apiProperties: Validate | undefined;

/** Microsoft's schema, as far as it is edited here. */
type MicrosoftSchema = { definitions: { operation: { properties: Record<string, unknown> } } };

/**
 * Microsoft's schema with the one operation extension it predates: `x-ms-agentic-protocol`, the
 * value Copilot Studio reads to reach an MCP server through a custom connector (Microsoft's
 * Copilot Studio documentation: `mcp-streamable-1.0`). Only that value is allowed; everything
 * else is checked as Microsoft wrote it.
 *
 * @example
 * ajv.compile(withAgenticProtocol(readJsonc(path) as MicrosoftSchema));
 */
export function withAgenticProtocol(schema: MicrosoftSchema): MicrosoftSchema {
  const operation = schema.definitions.operation;
  return {
    ...schema,
    definitions: { ...schema.definitions, operation: { ...operation, properties: { ...operation.properties, [AGENTIC_PROTOCOL]: { type: "string", enum: ["mcp-streamable-1.0"] } } } },
  };
}
/** The operation extension Copilot Studio's MCP connectors carry. */
export const AGENTIC_PROTOCOL = "x-ms-agentic-protocol";

/**
 * Validates an apiDefinition.swagger.json against Microsoft's apiDefinition.swagger.schema.json
 * (JSON Schema draft-04: Swagger 2.0 plus the `x-ms-*` extensions).
 *
 * @example
 * expect(apiDefinitionValidator()(buildSwagger())).toEqual([]);
 */
export function apiDefinitionValidator(): Validate {
  if (apiDefinition !== undefined) return apiDefinition;
  // Microsoft's schema carries editor hints (defaultSnippets…) that are not JSON Schema keywords.
  const ajv = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = withAgenticProtocol(readJsonc(`${POWER_PLATFORM_DIR}/apiDefinition.swagger.schema.json`) as MicrosoftSchema);
  apiDefinition = validator(ajv.compile(schema));
  return apiDefinition;
}

/**
 * Validates an apiProperties.json against Microsoft's paconn-apiProperties.schema.json (draft-07).
 *
 * @example
 * expect(apiPropertiesValidator()(buildApiProperties())).toEqual([]);
 */
export function apiPropertiesValidator(): Validate {
  if (apiProperties !== undefined) return apiProperties;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const { id, ...schema } = readJsonc(`${POWER_PLATFORM_DIR}/paconn-apiProperties.schema.json`) as Record<string, unknown>;
  // The file says draft-07 but names itself with draft-04's `id`, which Ajv refuses in draft-07.
  apiProperties = validator(ajv.compile({ ...schema, ...(typeof id === "string" ? { $id: id } : {}) }));
  return apiProperties;
}
