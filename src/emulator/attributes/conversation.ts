import { IntercomApiError } from "../errors.js";
import type { Workspace } from "../workspace.js";

/**
 * Conversation data attributes. Intercom defines them in its settings only (`POST
 * /data_attributes` takes `contact` or `company`, and the description's `data_attribute.model`
 * knows no `conversation`), so the emulator takes them from its control API and keeps them apart
 * from the contact and company ones. Types: the ones the description's conversation
 * `custom_attributes` can hold (string, integer, a date as unix seconds) and lists of strings.
 */

/** A conversation attribute's type. */
export type ConversationAttributeType = "string" | "integer" | "date" | "list";

/** A conversation data attribute. */
export interface ConversationAttribute {
  name: string;
  data_type: ConversationAttributeType;
  /** List attributes only: the values allowed. */
  options: string[] | null;
}

const byWorkspace = new WeakMap<Workspace, Map<string, ConversationAttribute>>();

function attributesOf(ws: Workspace): Map<string, ConversationAttribute> {
  let map = byWorkspace.get(ws);
  if (map === undefined) {
    map = new Map();
    byWorkspace.set(ws, map);
  }
  return map;
}

/**
 * Defines (or redefines) a conversation data attribute of a workspace.
 *
 * @example
 * defineConversationAttribute(workspace, { name: "issue_type", data_type: "list", options: ["Billing", "Bug"] });
 */
export function defineConversationAttribute(ws: Workspace, attribute: ConversationAttribute): ConversationAttribute {
  const copy: ConversationAttribute = { ...attribute, options: attribute.options === null ? null : [...attribute.options] };
  attributesOf(ws).set(copy.name, copy);
  return copy;
}

/**
 * A workspace's conversation data attributes, in definition order.
 *
 * @example
 * listConversationAttributes(workspace).map((a) => a.name);
 */
export function listConversationAttributes(ws: Workspace): ConversationAttribute[] {
  return [...attributesOf(ws).values()];
}

function fits(attribute: ConversationAttribute, value: unknown): boolean {
  switch (attribute.data_type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "date":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    case "list":
      return typeof value === "string" && (attribute.options ?? []).includes(value);
  }
}

/**
 * Checks the `custom_attributes` of `PUT /conversations/{id}` before anything is written: each
 * name must be a conversation attribute (Intercom's "Conversation attribute 'x' does not exist"),
 * each value of its type or `null` (which clears it). The first problem is a 400
 * `parameter_invalid` naming `custom_attributes.<name>`.
 *
 * @example
 * const values = checkConversationAttributes(workspace, { issue_type: "Billing" });
 */
export function checkConversationAttributes(ws: Workspace, values: Record<string, unknown>): Record<string, string | number | null> {
  const checked: Record<string, string | number | null> = {};
  const defined = attributesOf(ws);
  for (const [name, value] of Object.entries(values)) {
    const field = `custom_attributes.${name}`;
    const attribute = defined.get(name);
    if (attribute === undefined) throw new IntercomApiError(400, "parameter_invalid", `Conversation attribute '${name}' does not exist`, { field });
    if (value !== null && !fits(attribute, value)) {
      const expected = attribute.data_type === "list" ? `one of ${(attribute.options ?? []).map((o) => `'${o}'`).join(", ")}` : `${attribute.data_type === "integer" ? "an" : "a"} ${attribute.data_type}`;
      throw new IntercomApiError(400, "parameter_invalid", `Conversation attribute '${name}' must be ${expected}`, { field });
    }
    checked[name] = value as string | number | null;
  }
  return checked;
}
