import type { TicketRecord, TicketTypeAttributeRecord } from "../ticket-model.js";
import { DEFAULT_DESCRIPTION, DEFAULT_TITLE, type TicketStore } from "../ticket-store.js";
import { coerce, pathField, timestampField, type FieldDef, type FieldType, type Operator, type SearchCatalog } from "./fields.js";

type V = TicketRecord;

/** The terms `category` is searched by (the description: request, task, tracker). */
const CATEGORY_TERMS: Record<TicketRecord["category"], string> = { Customer: "request", "Back-office": "task", Tracker: "tracker" };

/** The field name prefix of a ticket type attribute, followed by the attribute's id. */
export const TICKET_ATTRIBUTE_PREFIX = "ticket_attribute.";

const DATE_OPERATORS: readonly Operator[] = ["=", "!=", "IN", "NIN", "<", ">"];

/** How each attribute data type is searched; files are not searchable. */
const ATTRIBUTE_FIELD_TYPES: Partial<Record<TicketTypeAttributeRecord["data_type"], FieldType>> = {
  string: "string",
  list: "string",
  integer: "integer",
  decimal: "integer",
  boolean: "boolean",
  datetime: "date",
};

/** Teammates who took part: the admins who wrote a part. */
function teammateIds(t: V): string[] {
  return [...new Set(t.parts.filter((p) => p.author.type === "admin").map((p) => p.author.id))];
}

/**
 * The ticket search catalog of a workspace: the fields of `POST /tickets/search`'s table, and
 * `ticket_attribute.{id}` for each ticket type attribute (typed by its data type). Dates match
 * by calendar day in the workspace's time zone like the other searches; `created_at` also takes
 * `>=` and `<=`, as the description's note says. Assignees are strings (the table's type) and
 * read null while unassigned. Default order: most recently updated first; 20 a page.
 *
 * @example
 * ticketSearchCatalog(ticketsOf(workspace)).field("state", () => [])?.allowed; // ["submitted", …]
 */
export function ticketSearchCatalog(store: TicketStore): SearchCatalog<V> {
  const defaultValue = (t: V, name: string): unknown => {
    const type = store.types.get(t.ticket_type_id);
    const attribute = type === undefined ? undefined : store.attributeByName(type, name);
    return attribute === undefined ? null : (t.attributes[attribute.id] ?? null);
  };
  const stateOf = (t: V): string | null => store.states.get(t.state_id)?.category ?? null;
  const fields: Array<FieldDef<V>> = [
    pathField<V>("id", "string", (t) => t.id),
    { ...timestampField<V>("created_at", (t) => t.created_at), operators: [...DATE_OPERATORS, ">=", "<="] },
    timestampField<V>("updated_at", (t) => t.updated_at),
    pathField<V>("title", "string", (t) => coerce(defaultValue(t, DEFAULT_TITLE), "string")),
    pathField<V>("description", "string", (t) => coerce(defaultValue(t, DEFAULT_DESCRIPTION), "string")),
    pathField<V>("category", "string", (t) => CATEGORY_TERMS[t.category], { allowed: Object.values(CATEGORY_TERMS) }),
    pathField<V>("ticket_type_id", "string", (t) => t.ticket_type_id),
    pathField<V>("contact_ids", "string", (t) => t.contact_ids),
    pathField<V>("teammate_ids", "string", teammateIds),
    pathField<V>("admin_assignee_id", "string", (t) => t.admin_assignee_id),
    pathField<V>("team_assignee_id", "string", (t) => t.team_assignee_id),
    pathField<V>("open", "boolean", (t) => t.open),
    pathField<V>("state", "string", stateOf, { allowed: ["submitted", "in_progress", "waiting_on_customer", "resolved"] }),
    timestampField<V>("snoozed_until", (t) => t.snoozed_until),
  ];
  const byName = new Map(fields.map((f) => [f.name, f]));
  return {
    resource: "tickets",
    operators: {
      string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
      tag: ["=", "!="],
      boolean: ["=", "!=", "IN", "NIN"],
      integer: ["=", "!=", "IN", "NIN", "<", ">"],
      date: DATE_OPERATORS,
    },
    field(name) {
      const known = byName.get(name);
      if (known !== undefined || !name.startsWith(TICKET_ATTRIBUTE_PREFIX)) return known;
      const attribute = store.attributes.get(name.slice(TICKET_ATTRIBUTE_PREFIX.length));
      const type = attribute === undefined ? undefined : ATTRIBUTE_FIELD_TYPES[attribute.data_type];
      if (attribute === undefined || type === undefined) return undefined;
      return pathField<V>(name, type, (t) => coerce(t.attributes[attribute.id] ?? null, type));
    },
    defaultSort: { field: "updated_at", order: "descending" },
    defaultPerPage: 20,
  };
}
