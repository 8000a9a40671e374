import type {
  TicketAuthorRef,
  TicketPartRecord,
  TicketRecord,
  TicketStateRecord,
  TicketTypeAttributeRecord,
  TicketTypeRecord,
} from "./ticket-model.js";
import { ticketsOf, type TicketStore } from "./ticket-store.js";
import type { Workspace } from "./workspace.js";

/** Intercom returns at most this many parts of a ticket. */
const MAX_PARTS = 500;

/** What an attribute's `input_options` hold for its type (an object always: the schema's type). */
function inputOptions(a: TicketTypeAttributeRecord): Record<string, unknown> {
  if (a.data_type === "string") return { multiline: a.multiline ?? false };
  if (a.data_type === "list") return { list_options: (a.list_options ?? []).map((o) => ({ id: o.id, label: o.label, archived: o.archived })) };
  if (a.data_type === "files") return { allow_multiple_values: a.allow_multiple_values ?? false };
  return {};
}

/**
 * A ticket type attribute as `ticket_type_attribute`.
 *
 * @example
 * serializeTicketAttribute(workspace, attribute).data_type; // "string"
 */
export function serializeTicketAttribute(ws: Workspace, a: TicketTypeAttributeRecord): Record<string, unknown> {
  return {
    type: "ticket_type_attribute",
    id: a.id,
    workspace_id: ws.id,
    name: a.name,
    description: a.description,
    data_type: a.data_type,
    input_options: inputOptions(a),
    order: a.order,
    required_to_create: a.required_to_create,
    required_to_create_for_contacts: a.required_to_create_for_contacts,
    visible_on_create: a.visible_on_create,
    visible_to_contacts: a.visible_to_contacts,
    default: a.default,
    ticket_type_id: Number(a.ticket_type_id),
    archived: a.archived,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

/**
 * A ticket state as `ticket_state` (the short form tickets and ticket types carry).
 *
 * @example
 * serializeTicketState(state); // { type: "ticket_state", id: "8001", category: "submitted", … }
 */
export function serializeTicketState(s: TicketStateRecord): Record<string, unknown> {
  return { type: "ticket_state", id: s.id, category: s.category, internal_label: s.internal_label, external_label: s.external_label };
}

/**
 * A ticket type as `ticket_type`, with its attributes and states. The attributes come as
 * `{type: "list", data}`, as every example answer of the description has them (its schema names
 * an array `ticket_type_attributes` that no example uses; both validate).
 *
 * @example
 * serializeTicketType(workspace, type).ticket_states; // { type: "list", data: [ … ] }
 */
export function serializeTicketType(ws: Workspace, t: TicketTypeRecord, store: TicketStore = ticketsOf(ws)): Record<string, unknown> {
  return {
    type: "ticket_type",
    id: t.id,
    name: t.name,
    description: t.description,
    icon: t.icon,
    workspace_id: ws.id,
    archived: t.archived,
    created_at: t.created_at,
    updated_at: t.updated_at,
    is_internal: t.is_internal,
    ticket_type_attributes: { type: "list", data: store.attributesOf(t).map((a) => serializeTicketAttribute(ws, a)) },
    category: t.category,
    ticket_states: {
      type: "list",
      data: t.state_ids.flatMap((id) => {
        const state = store.states.get(id);
        return state === undefined ? [] : [serializeTicketState(state)];
      }),
    },
  };
}

/** A part's author; the schema's email is a non-null address, so it is left out when unknown. */
export function serializeTicketAuthor(a: TicketAuthorRef): Record<string, unknown> {
  const author: Record<string, unknown> = { id: a.id, type: a.type, name: a.name };
  if (a.email !== null && a.email !== "") author.email = a.email;
  return author;
}

/**
 * A ticket part as `ticket_part`.
 *
 * @example
 * serializeTicketPart(part).part_type; // "note"
 */
export function serializeTicketPart(p: TicketPartRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "ticket_part", id: p.id, part_type: p.part_type };
  if (p.body !== null) body.body = p.body;
  if (p.ticket_state !== undefined) body.ticket_state = p.ticket_state;
  if (p.previous_ticket_state !== undefined) body.previous_ticket_state = p.previous_ticket_state;
  body.created_at = p.created_at;
  body.updated_at = p.updated_at;
  if (p.assigned_to !== undefined) body.assigned_to = { type: p.assigned_to.type, id: p.assigned_to.id };
  body.author = serializeTicketAuthor(p.author);
  body.attachments = (p.attachments ?? []).map((a) => ({ type: "upload", name: a.name, url: a.url }));
  body.redacted = false;
  if (p.updated_attribute !== undefined) {
    const u = p.updated_attribute;
    body.updated_attribute_data = {
      attribute: { type: "attribute", id: u.id, label: u.label },
      value: { type: "value", id: u.value, label: u.value_label },
    };
  }
  return body;
}

/**
 * A reply or note as `ticket_reply` (what `POST /tickets/{id}/reply` answers).
 *
 * @example
 * serializeTicketReply(part); // { type: "ticket_part", part_type: "comment", body: "<p>Hi</p>", … }
 */
export function serializeTicketReply(p: TicketPartRecord): Record<string, unknown> {
  return {
    type: "ticket_part",
    id: p.id,
    part_type: p.part_type,
    body: p.body,
    created_at: p.created_at,
    updated_at: p.updated_at,
    author: serializeTicketAuthor(p.author),
    attachments: (p.attachments ?? []).map((a) => ({ type: "upload", name: a.name, url: a.url })),
    redacted: false,
  };
}

/**
 * A ticket's attribute values by attribute name: every attribute of its type that is not
 * archived, `null` where none was set (as the description's `_default_description_: null`).
 *
 * @example
 * ticketAttributes(store, ticket); // { _default_title_: "Login fails", _default_description_: null }
 */
export function ticketAttributes(store: TicketStore, t: TicketRecord): Record<string, unknown> {
  const type = store.types.get(t.ticket_type_id);
  const out: Record<string, unknown> = {};
  if (type === undefined) return out;
  for (const a of store.attributesOf(type)) {
    if (a.archived) continue;
    out[a.name] = t.attributes[a.id] ?? null;
  }
  return out;
}

/**
 * A ticket as Intercom 2.14 answers it (`ticket`). Unassigned is `"0"`, as in the description's
 * examples; `snoozed_until` only while snoozed (the schema's integer is not nullable).
 *
 * @example
 * reply.send(serializeTicket(workspace, ticket));
 */
export function serializeTicket(ws: Workspace, t: TicketRecord): Record<string, unknown> {
  const store = ticketsOf(ws);
  const type = store.types.get(t.ticket_type_id);
  const state = store.states.get(t.state_id);
  const parts = t.parts.slice(-MAX_PARTS);
  const body: Record<string, unknown> = {
    type: "ticket",
    id: t.id,
    ticket_id: t.ticket_id,
    category: t.category,
    ticket_attributes: ticketAttributes(store, t),
    ticket_state: state === undefined ? null : serializeTicketState(state),
    ticket_type: type === undefined ? null : serializeTicketType(ws, type, store),
    contacts: {
      type: "contact.list",
      contacts: t.contact_ids.map((id) => ({ type: "contact", id, external_id: ws.contacts.get(id)?.external_id ?? null })),
    },
    admin_assignee_id: t.admin_assignee_id ?? "0",
    team_assignee_id: t.team_assignee_id ?? "0",
    created_at: t.created_at,
    updated_at: t.updated_at,
    ticket_parts: { type: "ticket_part.list", ticket_parts: parts.map(serializeTicketPart), total_count: parts.length },
    open: t.open,
    linked_objects: {
      type: "list",
      data: t.linked_conversation_ids.map((id) => ({ type: "conversation", id, category: null })),
      total_count: t.linked_conversation_ids.length,
      has_more: false,
    },
    is_shared: t.is_shared,
  };
  if (t.snoozed_until !== null) body.snoozed_until = t.snoozed_until;
  return body;
}
