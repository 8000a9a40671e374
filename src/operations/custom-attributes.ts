import type { DataAttribute } from "../contract/catalogue/data-attributes.js";
import { connectorError, err, ok, type ConnectorError, type CustomAttributes, type Result } from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";
import { fetchDataAttributes } from "./data-attributes/listDataAttributes.js";

// Custom attributes of a write are checked against the workspace's data attributes before
// anything is written: Intercom's own refusal would come only after a multi-call operation
// (CreateUser's company look-up, its upsert) had started, and with Intercom's wording.

/** How long a connection's data attributes are trusted without asking again. */
export const DATA_ATTRIBUTES_MAX_AGE_MS = 5 * 60_000;

/** The models whose writes take `custom_attributes`. */
export type AttributeModel = "contact" | "company";

/** What is wrong with one value, or null: the attribute must exist, be custom, live, and the value fit its type. */
function problemWith(attribute: DataAttribute | undefined, model: AttributeModel, value: unknown): string | null {
  const plural = model === "contact" ? "contacts" : "companies";
  if (attribute === undefined) return `is not a custom data attribute of ${plural} in this workspace: create it with CreateDataAttribute, or see ListDataAttributes for the names`;
  if (attribute.archived === true) return `is archived in this workspace: unarchive it in Intercom, or leave it out`;
  if (attribute.api_writable === false) return "cannot be set through the API (Intercom marks it not API-writable)";
  if (value === null) return null;
  const options = attribute.options;
  if (options !== undefined && options.length > 0) {
    return typeof value === "string" && options.includes(value) ? null : `must be one of ${options.map((option) => JSON.stringify(option)).join(", ")}`;
  }
  switch (attribute.data_type) {
    case "string":
      return typeof value === "string" ? null : "must be text";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? null : "must be a whole number";
    case "float":
      return typeof value === "number" ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "date":
    case "datetime":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? null : "must be a date as whole Unix seconds";
    default:
      // A type this connector does not know: Intercom decides.
      return null;
  }
}

/** The first problem of `values` against `attributes`, as the error that names it. */
function firstProblem(attributes: readonly DataAttribute[], model: AttributeModel, values: CustomAttributes): ConnectorError | null {
  const custom = new Map(attributes.filter((attribute) => attribute.custom === true && (attribute.model ?? model) === model).map((attribute) => [attribute.name, attribute]));
  for (const [name, value] of Object.entries(values)) {
    const reason = problemWith(custom.get(name), model, value);
    if (reason !== null) {
      const field = `custom_attributes.${name}`;
      return connectorError("invalid_custom_attribute", { name: JSON.stringify(name), reason }, { field });
    }
  }
  return null;
}

/**
 * Checks a write's `custom_attributes` against the workspace's data attributes of `model`
 * (`GET /data_attributes?model=`, remembered per connection for 5 minutes): each name must be
 * a live custom attribute and each value of its type; `null` clears any. A problem found in the
 * remembered list is checked again against a fresh one before it is answered, so an attribute
 * created a moment ago in Intercom is never refused. Nothing to check costs nothing.
 *
 * @example
 * const checked = await checkCustomAttributes(intercom, "contact", { plan: "pro" });
 * if (!checked.ok) return checked; // invalid_custom_attribute on custom_attributes.plan
 */
export async function checkCustomAttributes(intercom: IntercomTransport, model: AttributeModel, values: CustomAttributes | undefined): Promise<Result<void, ConnectorError>> {
  if (values === undefined || Object.keys(values).length === 0) return ok(undefined);
  const load = (bound: IntercomTransport) => fetchDataAttributes(bound, { model, include_archived: true });
  const key = `data-attributes:${model}`;
  let attributes = await intercom.remembered(key, { maxAgeMs: DATA_ATTRIBUTES_MAX_AGE_MS }, load);
  if (!attributes.ok) return attributes;
  let problem = firstProblem(attributes.value.value, model, values);
  if (problem !== null && !attributes.value.fresh) {
    attributes = await intercom.remembered(key, { maxAgeMs: DATA_ATTRIBUTES_MAX_AGE_MS, refresh: true }, load);
    if (!attributes.ok) return attributes;
    problem = firstProblem(attributes.value.value, model, values);
  }
  return problem === null ? ok(undefined) : err(problem);
}
