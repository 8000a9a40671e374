import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

// What every tool schema must be for Copilot Studio and other agent hosts, checked node by node.

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The problems of one tool schema: a `$ref`, `anyOf`/`oneOf`/`allOf`, a `type` that is not one
 * string, or a schema Ajv (draft-07, with formats) cannot compile. Empty when it is agent-safe.
 *
 * @example
 * expect(agentSchemaProblems(tool.inputSchema)).toEqual([]);
 */
export function agentSchemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${pointer}/${i}`));
    if (typeof node !== "object" || node === null) return;
    const object = node as Record<string, unknown>;
    for (const keyword of ["$ref", "$defs", "definitions", "anyOf", "oneOf", "allOf", "not"]) if (keyword in object) problems.push(`${pointer}: ${keyword}`);
    if ("type" in object && typeof object.type !== "string") problems.push(`${pointer}: type ${JSON.stringify(object.type)}`);
    const properties = object.properties;
    if (typeof properties === "object" && properties !== null) {
      for (const [name, child] of Object.entries(properties)) walk(child, `${pointer}/properties/${name}`);
    }
    if (object.items !== undefined) walk(object.items, `${pointer}/items`);
    if (typeof object.additionalProperties === "object") walk(object.additionalProperties, `${pointer}/additionalProperties`);
  };
  walk(schema, "");
  try {
    addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema as object);
  } catch (error) {
    problems.push(`does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}
