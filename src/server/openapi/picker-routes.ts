import { CustomAttributeSchema, PICKER_IDS, PICKERS, PickerValues } from "../../contract/pickers.js";
import { CUSTOM_ATTRIBUTES_PATH, fastifyPath, PICKERS_PATH } from "./paths.js";
import type { ConnectorRoute } from "./route-types.js";

// The internal routes a flow designer calls while a person fills in a form: a picker's
// candidates (`x-ms-dynamic-values`) and the schema of the custom attributes
// (`x-ms-dynamic-schema`). Neither is an action of the contract: they serve the forms of the
// actions, and a flow never runs them.

/** The operation the Swagger file's `x-ms-dynamic-values` call. */
export const PICKER_OPERATION_ID = "ListPickerValues";
/** The operation the Swagger file's `x-ms-dynamic-schema` call. */
export const ATTRIBUTE_SCHEMA_OPERATION_ID = "GetCustomAttributeSchema";
/** The path parameter that names the picker. */
export const PICKER_PARAMETER = "picker";
/** The path parameter that names the model. */
export const MODEL_PARAMETER = "model";

/**
 * The picker route and the custom attributes' schema route, for the route table.
 *
 * @example
 * pickerRoutes().map((route) => route.operationId); // ["ListPickerValues", "GetCustomAttributeSchema"]
 */
export function pickerRoutes(): ConnectorRoute[] {
  const pickerPath = `${PICKERS_PATH}/{${PICKER_PARAMETER}}`;
  const schemaPath = `${CUSTOM_ATTRIBUTES_PATH}/{${MODEL_PARAMETER}}/schema`;
  return [
    {
      method: "GET",
      path: pickerPath,
      url: fastifyPath(pickerPath),
      operationId: PICKER_OPERATION_ID,
      kind: "picker",
      summary: "List the values of a picker",
      description: `The candidates of a field's picker, for the flow designer: ${PICKER_IDS.map((id) => `${id} (${PICKERS[id].lists})`).join("; ")}. One Intercom call.`,
      visibility: "internal",
      parameters: [{ name: PICKER_PARAMETER, in: "path", required: true, enum: PICKER_IDS, summary: "Picker", description: `Which list: ${PICKER_IDS.join(", ")}.` }],
      status: 200,
      response: PickerValues,
      responseName: "PickerValues_Response",
    },
    {
      method: "GET",
      path: schemaPath,
      url: fastifyPath(schemaPath),
      operationId: ATTRIBUTE_SCHEMA_OPERATION_ID,
      kind: "attribute-schema",
      summary: "Get the schema of the custom attributes",
      description: "The JSON Schema of the custom attributes of contacts or companies, one field per live custom data attribute of its type, for the flow designer. One Intercom call.",
      visibility: "internal",
      parameters: [{ name: MODEL_PARAMETER, in: "path", required: true, enum: ["contact", "company"], summary: "Model", description: "contact or company." }],
      status: 200,
      response: CustomAttributeSchema,
      responseName: "CustomAttributeSchema_Response",
    },
  ];
}
