import { CUSTOM_ATTRIBUTES_OF } from "../../contract/index.js";
import { PICKER_KEY } from "../../contract/pickers.js";
import type { Json, JsonObject, SwaggerSchema } from "./json-schema.js";
import { ATTRIBUTE_SCHEMA_OPERATION_ID, MODEL_PARAMETER, PICKER_OPERATION_ID, PICKER_PARAMETER } from "./picker-routes.js";

// The contract marks fields neutrally (`x-picker`, `x-custom-attributes-of`); Power Automate
// reads its own extensions. This turns one into the other, in the schemas of the Swagger file.

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function translated(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === PICKER_KEY && typeof value === "string") {
      out["x-ms-dynamic-values"] = {
        operationId: PICKER_OPERATION_ID,
        parameters: { [PICKER_PARAMETER]: { value } },
        "value-collection": "value",
        "value-path": "id",
        "value-title": "title",
      };
    } else if (key === CUSTOM_ATTRIBUTES_OF && typeof value === "string") {
      out["x-ms-dynamic-schema"] = { operationId: ATTRIBUTE_SCHEMA_OPERATION_ID, parameters: { [MODEL_PARAMETER]: { value } }, "value-path": "schema" };
    } else if (Array.isArray(value)) {
      out[key] = value.map((item) => (isObject(item) ? translated(item) : item));
    } else {
      out[key] = isObject(value) ? translated(value) : value;
    }
  }
  return out;
}

/**
 * A Swagger schema with the contract's picker and custom-attribute marks turned into Power
 * Automate's `x-ms-dynamic-values` (served by `ListPickerValues`) and `x-ms-dynamic-schema`
 * (served by `GetCustomAttributeSchema`), at any depth.
 *
 * @example
 * withDynamicExtensions({ type: "string", "x-picker": "tags" });
 * // { type: "string", "x-ms-dynamic-values": { operationId: "ListPickerValues", parameters: { picker: { value: "tags" } }, … } }
 */
export function withDynamicExtensions(schema: SwaggerSchema): SwaggerSchema {
  return translated(schema);
}
