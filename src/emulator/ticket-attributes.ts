import { IntercomApiError } from "./errors.js";
import type { TicketTypeAttributeRecord, TicketTypeRecord } from "./ticket-model.js";
import type { TicketStore } from "./ticket-store.js";

/** What each data type takes, for messages. */
const EXPECTED: Record<TicketTypeAttributeRecord["data_type"], string> = {
  string: "a string",
  list: "the id of one of its list options",
  integer: "an integer",
  decimal: "a number",
  boolean: "true or false",
  datetime: "a UNIX timestamp (integer seconds)",
  files: "files, which the API does not set",
};

function fits(a: TicketTypeAttributeRecord, value: unknown): boolean {
  switch (a.data_type) {
    case "string":
      return typeof value === "string";
    case "list":
      return typeof value === "string" && (a.list_options ?? []).some((o) => o.id === value && !o.archived);
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "decimal":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "datetime":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    case "files":
      return false;
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Checks `ticket_attributes` (by attribute name) against a ticket type and returns the values by
 * attribute id. Every key must name an attribute of the type that is not archived, with a value of
 * its type (`null` clears any); on create, every attribute `required_to_create` must have a value.
 * Anything else is a 400 `parameter_invalid` naming `ticket_attributes.<name>`, before anything is
 * written: "Missing required ticket attributes" is the description's message; "Ticket attribute
 * 'x' does not exist" and "… must be …" are ours (Intercom documents none for them).
 *
 * @example
 * checkTicketAttributes(store, type, { _default_title_: "Login fails" }, { creating: true });
 */
export function checkTicketAttributes(
  store: TicketStore,
  type: TicketTypeRecord,
  given: Record<string, unknown>,
  options: { creating: boolean },
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const field = `ticket_attributes.${name}`;
    const attribute = store.attributeByName(type, name);
    if (attribute === undefined || attribute.archived) {
      throw new IntercomApiError(400, "parameter_invalid", `Ticket attribute '${name}' does not exist`, { field });
    }
    if (value !== null && !fits(attribute, value)) {
      throw new IntercomApiError(400, "parameter_invalid", `Ticket attribute '${name}' must be ${EXPECTED[attribute.data_type]}`, { field });
    }
    values[attribute.id] = value;
  }
  if (options.creating) {
    for (const attribute of store.attributesOf(type)) {
      if (!attribute.archived && attribute.required_to_create && isEmpty(values[attribute.id])) {
        throw new IntercomApiError(400, "parameter_invalid", "Missing required ticket attributes", { field: `ticket_attributes.${attribute.name}` });
      }
    }
  }
  return values;
}

/**
 * The label a value of an attribute is shown with (a list option's label, else the value).
 *
 * @example
 * attributeValueLabel(priority, "6f1c…"); // "High"
 */
export function attributeValueLabel(a: TicketTypeAttributeRecord, value: unknown): string {
  if (a.data_type === "list") return a.list_options?.find((o) => o.id === value)?.label ?? attributeValueText(value);
  return attributeValueText(value);
}

/**
 * A checked attribute value as text (`""` for none); values are scalars once checked.
 *
 * @example
 * attributeValueText(12.5); // "12.5"
 */
export function attributeValueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
