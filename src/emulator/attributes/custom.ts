import { IntercomApiError } from "../errors.js";
import type { DataAttributeRecord, DataAttributeType } from "../model.js";
import type { Workspace } from "../workspace.js";
import { standardAttributes } from "./standard.js";

/** The words Intercom's messages use for each model's data. */
const DATA_WORD = { contact: "people", company: "company" } as const;

/** Names Intercom accepts: letters, digits, currency symbols, hyphens (and the spaces and underscores its examples use). */
const NAME = /^[\p{L}\p{N}\p{Sc}\- _]+$/u;

/** What creating a custom data attribute takes. */
export interface NewDataAttribute {
  name: string;
  model: "contact" | "company";
  data_type: DataAttributeType;
  description?: string | undefined;
  options?: string[] | undefined;
  messenger_writable?: boolean | undefined;
}

/**
 * The workspace's custom attribute of a model with this name, archived ones included.
 *
 * @example
 * findCustomAttribute(workspace, "contact", "plan")?.data_type;
 */
export function findCustomAttribute(ws: Workspace, model: "contact" | "company", name: string): DataAttributeRecord | undefined {
  for (const attribute of ws.dataAttributes.values()) if (attribute.model === model && attribute.name === name) return attribute;
  return undefined;
}

/**
 * Creates a custom data attribute with Intercom's rules and messages: a valid name, unique across
 * contact and company data (case-insensitively), not a standard attribute's, and at least two
 * options for a list. `datetime` is stored as `date` and a list as `string` with `options`,
 * the types the description's `data_attribute` knows.
 *
 * @example
 * defineCustomAttribute(workspace, { name: "seats", model: "contact", data_type: "integer" });
 */
export function defineCustomAttribute(ws: Workspace, fields: NewDataAttribute): DataAttributeRecord {
  const name = fields.name.trim();
  const word = DATA_WORD[fields.model];
  if (!NAME.test(name)) throw invalid("Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens", "name");
  const standard = standardAttributes(fields.model).find((a) => a.name.toLowerCase() === name.toLowerCase() || a.label.toLowerCase() === name.toLowerCase());
  if (standard !== undefined) {
    throw invalid(`'${standard.label}' is one of our standard attributes for your ${word} data. To save this as new ${word} data, use a different name.`, "name");
  }
  for (const existing of ws.dataAttributes.values()) {
    if (existing.name.toLowerCase() === name.toLowerCase()) {
      throw invalid(`You already have '${existing.name}' in your ${DATA_WORD[existing.model]} data. To save this as new ${word} data, use a different name.`, "name");
    }
  }
  const isList = fields.data_type === "options";
  if (isList && (fields.options === undefined || fields.options.length < 2)) {
    throw invalid("You must have at least two options on a list type data attribute", "options");
  }
  const now = ws.clock.now();
  const attribute: DataAttributeRecord = {
    id: Number(ws.ids.numeric("data_attribute", 34)),
    model: fields.model,
    name,
    full_name: `custom_attributes.${name}`,
    label: name,
    description: fields.description ?? "",
    data_type: fields.data_type === "datetime" ? "date" : isList ? "string" : fields.data_type,
    options: isList ? [...(fields.options ?? [])] : null,
    api_writable: true,
    ui_writable: false,
    messenger_writable: fields.messenger_writable ?? false,
    custom: true,
    archived: false,
    admin_id: ws.ownerAdminId,
    created_at: now,
    updated_at: now,
  };
  ws.dataAttributes.set(attribute.id ?? 0, attribute);
  return attribute;
}

function invalid(message: string, field: string): IntercomApiError {
  return new IntercomApiError(400, "parameter_invalid", message, { field });
}

/** Whether a value fits an attribute's type; `null` clears a value of any type. */
function fits(attribute: DataAttributeRecord, value: unknown): boolean {
  if (value === null) return true;
  if (attribute.options !== null) return typeof value === "string" && attribute.options.includes(value);
  switch (attribute.data_type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "float":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
    case "datetime":
      // Unix seconds, as every Intercom date.
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    case "options":
      return false;
  }
}

/**
 * Checks `custom_attributes` of a contact or company write against the workspace's data
 * attributes before anything is written: each key must name a custom attribute of that model
 * that is not archived, each value must be of its type (a list's value one of its options).
 * The first problem is a 400 `parameter_invalid` naming `custom_attributes.<name>`.
 *
 * @example
 * checkCustomAttributes(workspace, "contact", { seats: 3 });
 */
export function checkCustomAttributes(ws: Workspace, model: "contact" | "company", values: Record<string, unknown> | null | undefined): void {
  if (values === null || values === undefined) return;
  for (const [name, value] of Object.entries(values)) {
    const attribute = findCustomAttribute(ws, model, name);
    const field = `custom_attributes.${name}`;
    if (attribute === undefined || attribute.archived) throw invalid(`Custom attribute '${name}' does not exist`, field);
    if (!fits(attribute, value)) {
      const expected = attribute.options !== null ? `one of ${attribute.options.map((o) => `'${o}'`).join(", ")}` : `${/^[aeiou]/.test(attribute.data_type) ? "an" : "a"} ${attribute.data_type}`;
      throw invalid(`Custom attribute '${name}' must be ${expected}`, field);
    }
  }
}
