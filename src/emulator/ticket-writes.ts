import { IntercomApiError } from "./errors.js";
import type { AdminRecord, ContactRecord } from "./model.js";
import { attributeValueLabel, attributeValueText } from "./ticket-attributes.js";
import type { TicketAuthorRef, TicketCategory, TicketPartRecord, TicketRecord, TicketTypeRecord } from "./ticket-model.js";
import { ticketsOf } from "./ticket-store.js";
import type { Workspace } from "./workspace.js";

/**
 * An admin as a ticket part's author.
 *
 * @example
 * ticketAdminAuthor(admin); // { type: "admin", id: "991200", name: "Ada Owner", email: "owner@…" }
 */
export function ticketAdminAuthor(admin: AdminRecord): TicketAuthorRef {
  return { type: "admin", id: admin.id, name: admin.name, email: admin.email };
}

/**
 * A contact as a ticket part's author (`ticket_part_author` knows users only, leads included).
 *
 * @example
 * ticketContactAuthor(contact).type; // "user"
 */
export function ticketContactAuthor(contact: ContactRecord): TicketAuthorRef {
  return { type: "user", id: contact.id, name: contact.name, email: contact.email };
}

/** Who a ticket is assigned to. */
export interface TicketAssignee {
  type: "admin" | "team";
  id: string;
}

/**
 * The assignee an id names: an admin, else a team; Intercom's 404 `assignee_not_found` otherwise.
 *
 * @example
 * resolveAssignee(workspace, "991200", "assignee_id"); // { type: "admin", id: "991200" }
 */
export function resolveAssignee(ws: Workspace, id: string, field: string, only?: "admin" | "team"): TicketAssignee {
  if (only !== "team" && ws.admins.has(id)) return { type: "admin", id };
  if (only !== "admin" && ws.teams.has(id)) return { type: "team", id };
  throw new IntercomApiError(404, "assignee_not_found", "Assignee not found", { field });
}

/** What a new ticket is made of, all checked. */
export interface NewTicket {
  type: TicketTypeRecord;
  contacts: ContactRecord[];
  attributes: Record<string, unknown>;
  companyId: string | null;
  createdAt: number;
  admin: TicketAssignee | null;
  team: TicketAssignee | null;
  linkedConversationId: string | null;
  author: AdminRecord;
}

function part(ws: Workspace, partType: string, author: TicketAuthorRef, at: number, extra: Partial<TicketPartRecord> = {}): TicketPartRecord {
  return { id: ticketsOf(ws).newPartId(), part_type: partType, body: null, created_at: at, updated_at: at, author, ...extra };
}

/**
 * Stores a new ticket in its type's first `submitted` state, with the state part Intercom's
 * answers open with, and emits `ticket.created`.
 *
 * @example
 * const ticket = createTicket(workspace, { type, contacts: [contact], attributes: {}, … });
 */
export function createTicket(ws: Workspace, input: NewTicket): TicketRecord {
  const store = ticketsOf(ws);
  const state = input.type.state_ids.map((id) => store.states.get(id)).find((s) => s?.category === "submitted") ?? store.states.get(input.type.state_ids[0] ?? "");
  if (state === undefined) throw new Error(`ticket type ${input.type.id} has no states`);
  const category: TicketCategory = input.type.category;
  const at = input.createdAt;
  const ticket: TicketRecord = {
    ...store.newTicketIds(),
    ticket_type_id: input.type.id,
    category,
    attributes: input.attributes,
    state_id: state.id,
    contact_ids: input.contacts.map((c) => c.id),
    company_id: input.companyId,
    admin_assignee_id: input.admin?.id ?? null,
    team_assignee_id: input.team?.id ?? null,
    open: true,
    snoozed_until: null,
    is_shared: category === "Customer",
    linked_conversation_ids: input.linkedConversationId === null ? [] : [input.linkedConversationId],
    tags: [],
    created_at: at,
    updated_at: at,
    parts: [part(ws, "ticket_state_updated_by_admin", ticketAdminAuthor(input.author), at, { ticket_state: state.category, previous_ticket_state: state.category })],
  };
  store.save(ticket);
  ws.emit("ticket.created", ticket);
  return ticket;
}

/** A checked change of a ticket (`PUT /tickets/{id}`). */
export interface TicketChange {
  author: AdminRecord;
  attributes?: Record<string, unknown>;
  stateId?: string;
  assignee?: TicketAssignee | null;
  open?: boolean;
  snoozedUntil?: number;
  isShared?: boolean;
  companyId?: string | null;
}

/**
 * Applies a checked change: each change adds its part (attribute, state, assignment, snooze,
 * close or open, as Intercom's answers show them) and emits its topic (`ticket.attribute.updated`,
 * `ticket.state.updated`, `ticket.admin.assigned`, `ticket.team.assigned`). Closing unsnoozes, as
 * the description says.
 *
 * @example
 * updateTicket(workspace, ticket, { author: admin, stateId: "8002" });
 */
export function updateTicket(ws: Workspace, t: TicketRecord, change: TicketChange): TicketRecord {
  const store = ticketsOf(ws);
  const now = ws.clock.now();
  const author = ticketAdminAuthor(change.author);
  const parts: TicketPartRecord[] = [];
  const topics: Array<Parameters<Workspace["emit"]>[0]> = [];
  const next: TicketRecord = { ...t, attributes: { ...t.attributes }, updated_at: Math.max(t.updated_at, now) };

  const changedAttributes = Object.entries(change.attributes ?? {}).filter(([id, value]) => (t.attributes[id] ?? null) !== value);
  for (const [id, value] of changedAttributes) {
    next.attributes[id] = value;
    const attribute = store.attributes.get(id);
    if (attribute === undefined) continue;
    parts.push(part(ws, "ticket_attribute_updated_by_admin", author, now, {
      updated_attribute: { id, label: attribute.name, value: value === null ? null : attributeValueText(value), value_label: attributeValueLabel(attribute, value) },
    }));
  }
  if (changedAttributes.length > 0) topics.push("ticket.attribute.updated");

  if (change.stateId !== undefined && change.stateId !== t.state_id) {
    const before = store.states.get(t.state_id);
    const after = store.states.get(change.stateId);
    next.state_id = change.stateId;
    if (before !== undefined && after !== undefined) {
      parts.push(part(ws, "ticket_state_updated_by_admin", author, now, { ticket_state: after.category, previous_ticket_state: before.category }));
    }
    topics.push("ticket.state.updated");
  }

  if (change.assignee !== undefined) {
    const a = change.assignee;
    const admin = a === null ? null : a.type === "admin" ? a.id : t.admin_assignee_id;
    const team = a === null ? null : a.type === "team" ? a.id : t.team_assignee_id;
    if (admin !== t.admin_assignee_id || team !== t.team_assignee_id) {
      next.admin_assignee_id = admin;
      next.team_assignee_id = team;
      parts.push(part(ws, "assignment", author, now, a === null ? {} : { assigned_to: { type: a.type, id: a.id } }));
      if (a !== null) topics.push(a.type === "admin" ? "ticket.admin.assigned" : "ticket.team.assigned");
    }
  }

  if (change.snoozedUntil !== undefined && change.open !== false) {
    next.snoozed_until = change.snoozedUntil;
    next.open = true;
    parts.push(part(ws, "snoozed", author, now));
  }
  if (change.open !== undefined && change.open !== t.open) {
    next.open = change.open;
    parts.push(part(ws, change.open ? "open" : "close", author, now));
  }
  if (change.open === false) next.snoozed_until = null;
  if (change.isShared !== undefined) next.is_shared = change.isShared;
  if (change.companyId !== undefined) next.company_id = change.companyId;

  next.parts = [...t.parts, ...parts];
  store.save(next);
  for (const topic of topics) ws.emit(topic, next);
  return next;
}

/** A reply or note to add to a ticket. */
export interface TicketReplyInput {
  kind: "comment" | "note" | "quick_reply";
  author: TicketAuthorRef;
  /** HTML, or null for a quick reply offer without text. */
  body: string | null;
  createdAt: number;
  attachments: Array<{ name: string; url: string }>;
}

/**
 * Adds a reply or note to a ticket and emits `ticket.note.created`, `ticket.admin.replied` or
 * `ticket.contact.replied`.
 *
 * @example
 * const { part } = addTicketReply(workspace, ticket, { kind: "note", author, body: "<p>Seen</p>", createdAt: now, attachments: [] });
 */
export function addTicketReply(ws: Workspace, t: TicketRecord, input: TicketReplyInput): { ticket: TicketRecord; part: TicketPartRecord } {
  const added = part(ws, input.kind, input.author, input.createdAt, { body: input.body, attachments: input.attachments });
  const next: TicketRecord = { ...t, parts: [...t.parts, added], updated_at: Math.max(t.updated_at, input.createdAt, ws.clock.now()) };
  ticketsOf(ws).save(next);
  ws.emit(input.kind === "note" ? "ticket.note.created" : input.author.type === "user" ? "ticket.contact.replied" : "ticket.admin.replied", next);
  return { ticket: next, part: added };
}
