import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, IntercomApiError } from "../errors.js";
import type { ContactRecord } from "../model.js";
import { checkTicketAttributes } from "../ticket-attributes.js";
import type { TicketRecord } from "../ticket-model.js";
import { serializeTicket, serializeTicketReply } from "../ticket-serialize.js";
import { ticketsOf } from "../ticket-store.js";
import { addTicketReply, createTicket, resolveAssignee, ticketAdminAuthor, ticketContactAuthor, updateTicket, type TicketAssignee, type TicketChange } from "../ticket-writes.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { requireCompany } from "./companies.js";
import { adminHtml, textToHtml } from "./conversation-records.js";
import { requireTicketType } from "./ticket-types.js";
import { serializeAppliedTag } from "./tags.js";

// Ids are strings in the description; its examples, and the SDK's `admin_id`, send numbers.
const numericId = z.union([z.string().regex(/^\d+$/, "must be a numeric id"), z.number().int().nonnegative()]).transform(String);
const unix = z.number().int().nonnegative();
const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown())]));
const contactRef = z.union([
  z.strictObject({ id: z.string().min(1) }),
  z.strictObject({ external_id: z.string().min(1) }),
  z.strictObject({ email: z.string().email() }),
]);
const attachmentUrls = z.array(z.string().url()).max(10);

const createBody = z.strictObject({
  ticket_type_id: numericId,
  // "Currently only one is allowed" (the description).
  contacts: z.array(contactRef).min(1).max(1),
  conversation_to_link_id: z.string().min(1).optional(),
  company_id: z.string().min(1).optional(),
  created_at: unix.optional(),
  ticket_attributes: attributes.optional(),
  assignment: z.strictObject({ admin_assignee_id: numericId.optional(), team_assignee_id: numericId.optional() }).optional(),
  skip_notifications: z.boolean().optional(),
});

const updateBody = z.strictObject({
  ticket_attributes: attributes.optional(),
  ticket_state_id: numericId.optional(),
  company_id: z.string().min(1).nullable().optional(),
  open: z.boolean().optional(),
  is_shared: z.boolean().optional(),
  snoozed_until: unix.optional(),
  admin_id: numericId.optional(),
  assignee_id: numericId.optional(),
  skip_notifications: z.boolean().optional(),
});

const replyKind = z.object({ type: z.enum(["admin", "user"]) });
const adminReplyBody = z.strictObject({
  type: z.literal("admin"),
  message_type: z.enum(["comment", "note", "quick_reply"]),
  admin_id: numericId,
  body: z.string().optional(),
  created_at: unix.optional(),
  reply_options: z.array(z.strictObject({ text: z.string().min(1), uuid: z.string().uuid() })).min(1).max(20).optional(),
  attachment_urls: attachmentUrls.optional(),
  cross_post: z.boolean().optional(),
  skip_notifications: z.boolean().optional(),
});
const contactReplyBody = z.strictObject({
  type: z.literal("user"),
  message_type: z.literal("comment"),
  body: z.string(),
  intercom_user_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  created_at: unix.optional(),
  attachment_urls: attachmentUrls.optional(),
  reply_options: z.array(z.strictObject({ text: z.string().min(1), uuid: z.string().uuid() })).length(1).optional(),
  skip_notifications: z.boolean().optional(),
});

const tagBody = z.strictObject({ id: numericId, admin_id: numericId });
const untagBody = z.strictObject({ admin_id: numericId });

/** The reply endpoint's 404 (the description's "Not found" example). */
const resourceNotFound = (field?: string): IntercomApiError =>
  new IntercomApiError(404, "not_found", "Resource Not Found", field === undefined ? {} : { field });

/**
 * The ticket with this id, or the description's 404 `ticket_not_found` "Ticket not found".
 *
 * @example
 * const ticket = requireTicket(workspace, "601");
 */
export function requireTicket(ws: Workspace, id: string): TicketRecord {
  const ticket = ticketsOf(ws).tickets.get(id);
  if (ticket === undefined) throw new IntercomApiError(404, "ticket_not_found", "Ticket not found");
  return ticket;
}

function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") || url;
  } catch {
    return url;
  }
}

/** The contact a create names; an email nobody has yet becomes a new user, as the description says. */
function resolveContact(ws: Workspace, ref: z.output<typeof contactRef>): ContactRecord | { email: string } {
  if ("id" in ref) {
    const contact = ws.contacts.get(ref.id);
    if (contact === undefined) throw new IntercomApiError(404, "not_found", "User Not Found", { field: "contacts.0.id" });
    return contact;
  }
  if ("external_id" in ref) {
    const id = ws.contactIdByExternalId(ref.external_id);
    const contact = id === undefined ? undefined : ws.contacts.get(id);
    if (contact === undefined) throw new IntercomApiError(404, "not_found", "User Not Found", { field: "contacts.0.external_id" });
    return contact;
  }
  const email = ref.email.toLowerCase();
  const id = ws.userIdByEmail(email) ?? [...ws.contacts.values()].find((c) => c.email?.toLowerCase() === email)?.id;
  const found = id === undefined ? undefined : ws.contacts.get(id);
  return found ?? { email: ref.email };
}

function replyingContact(ws: Workspace, body: z.output<typeof contactReplyBody>): { contact: ContactRecord; field: string } {
  const byEmail = (raw: string): string | undefined => {
    const email = raw.toLowerCase();
    return ws.userIdByEmail(email) ?? [...ws.contacts.values()].find((c) => c.email?.toLowerCase() === email)?.id;
  };
  const [field, id] =
    body.intercom_user_id !== undefined ? ["intercom_user_id", body.intercom_user_id]
      : body.user_id !== undefined ? ["user_id", ws.contactIdByExternalId(body.user_id)]
        : body.email !== undefined ? ["email", byEmail(body.email)]
          : ["intercom_user_id", undefined];
  if (body.intercom_user_id === undefined && body.user_id === undefined && body.email === undefined) throw errors.missing("intercom_user_id");
  const contact = id === undefined ? undefined : ws.contacts.get(id);
  if (contact === undefined) throw resourceNotFound(field);
  return { contact, field };
}

function adminOrOwner(ws: Workspace, id: string | undefined) {
  const admin = ws.admins.get(id ?? ws.ownerAdminId);
  // The description's "Admin not found" example answers assignee_not_found.
  if (admin === undefined) throw new IntercomApiError(404, "assignee_not_found", "Assignee not found", { field: "admin_id" });
  return admin;
}

/**
 * Registers the ticket routes: `POST /tickets`, `GET/PUT/DELETE /tickets/{id}`,
 * `POST /tickets/{id}/reply`, `POST /tickets/{id}/tags` and `DELETE /tickets/{id}/tags/{tag_id}`.
 *
 * @example
 * registerTicketRoutes(app);
 */
export function registerTicketRoutes(app: FastifyInstance): void {
  app.post("/tickets", async (request) => {
    const ws = request.workspace;
    const store = ticketsOf(ws);
    const body = parseBody(createBody, request.body);
    // Everything is checked before anything is written (a new contact included).
    const type = requireTicketType(ws, body.ticket_type_id, "ticket_type_id");
    if (type.archived) throw new IntercomApiError(400, "parameter_invalid", "The ticket type is archived", { field: "ticket_type_id" });
    const values = checkTicketAttributes(store, type, body.ticket_attributes ?? {}, { creating: true });
    const refs = body.contacts.map((ref) => resolveContact(ws, ref));
    if (body.company_id !== undefined) requireCompany(ws, body.company_id);
    if (body.conversation_to_link_id !== undefined && !ws.conversations.has(body.conversation_to_link_id)) throw resourceNotFound("conversation_to_link_id");
    const admin = body.assignment?.admin_assignee_id === undefined ? null : resolveAssignee(ws, body.assignment.admin_assignee_id, "assignment.admin_assignee_id", "admin");
    const team = body.assignment?.team_assignee_id === undefined ? null : resolveAssignee(ws, body.assignment.team_assignee_id, "assignment.team_assignee_id", "team");
    const contacts = refs.map((ref) => ("id" in ref ? ref : ws.insertContact({ role: "user", email: ref.email })));
    const ticket = createTicket(ws, {
      type,
      contacts,
      attributes: values,
      companyId: body.company_id ?? null,
      createdAt: body.created_at ?? ws.clock.now(),
      admin,
      team,
      linkedConversationId: body.conversation_to_link_id ?? null,
      author: adminOrOwner(ws, undefined),
    });
    return serializeTicket(ws, ticket);
  });

  app.get<{ Params: { ticket_id: string } }>("/tickets/:ticket_id", async (request) => {
    const ws = request.workspace;
    return serializeTicket(ws, requireTicket(ws, request.params.ticket_id));
  });

  app.put<{ Params: { ticket_id: string } }>("/tickets/:ticket_id", async (request) => {
    const ws = request.workspace;
    const ticket = requireTicket(ws, request.params.ticket_id);
    const body = parseBody(updateBody, request.body);
    const store = ticketsOf(ws);
    const type = store.types.get(ticket.ticket_type_id);
    if (type === undefined) throw new Error(`ticket ${ticket.id} has no type`);
    const author = adminOrOwner(ws, body.admin_id);
    if (body.ticket_state_id !== undefined && !type.state_ids.includes(body.ticket_state_id)) {
      throw new IntercomApiError(400, "ticket_state_id_invalid", "Ticket state id is not valid or is not associated with the ticket type", { field: "ticket_state_id" });
    }
    let assignee: TicketAssignee | null | undefined;
    if (body.assignee_id !== undefined) assignee = body.assignee_id === "0" ? null : resolveAssignee(ws, body.assignee_id, "assignee_id");
    const values = body.ticket_attributes === undefined ? undefined : checkTicketAttributes(store, type, body.ticket_attributes, { creating: false });
    if (typeof body.company_id === "string") requireCompany(ws, body.company_id);
    const change: TicketChange = {
      author,
      ...(values === undefined ? {} : { attributes: values }),
      ...(body.ticket_state_id === undefined ? {} : { stateId: body.ticket_state_id }),
      ...(assignee === undefined ? {} : { assignee }),
      ...(body.open === undefined ? {} : { open: body.open }),
      ...(body.snoozed_until === undefined ? {} : { snoozedUntil: body.snoozed_until }),
      ...(body.is_shared === undefined ? {} : { isShared: body.is_shared }),
      ...(body.company_id === undefined ? {} : { companyId: body.company_id }),
    };
    return serializeTicket(ws, updateTicket(ws, ticket, change));
  });

  app.delete<{ Params: { ticket_id: string } }>("/tickets/:ticket_id", async (request) => {
    const ws = request.workspace;
    const ticket = requireTicket(ws, request.params.ticket_id);
    ticketsOf(ws).delete(ticket.id);
    return { id: ticket.id, object: "ticket", deleted: true };
  });

  app.post<{ Params: { ticket_id: string } }>("/tickets/:ticket_id/reply", async (request) => {
    const ws = request.workspace;
    const kind = parseBody(replyKind, request.body).type;
    const ticket = ticketsOf(ws).tickets.get(request.params.ticket_id);
    if (kind === "admin") {
      const body = parseBody(adminReplyBody, request.body);
      if (body.message_type === "quick_reply" && body.reply_options === undefined) throw errors.missing("reply_options");
      if (body.message_type !== "quick_reply" && (body.body === undefined || body.body.trim() === "")) throw errors.missing("body");
      if (ticket === undefined) throw resourceNotFound();
      const admin = ws.admins.get(body.admin_id);
      if (admin === undefined) throw resourceNotFound("admin_id");
      const { part } = addTicketReply(ws, ticket, {
        kind: body.message_type,
        author: ticketAdminAuthor(admin),
        body: body.body === undefined || body.body.trim() === "" ? null : adminHtml(body.body),
        createdAt: body.created_at ?? ws.clock.now(),
        attachments: (body.attachment_urls ?? []).map((url) => ({ name: fileName(url), url })),
      });
      return serializeTicketReply(part);
    }
    const body = parseBody(contactReplyBody, request.body);
    if (body.body.trim() === "") throw errors.missing("body");
    if (ticket === undefined) throw resourceNotFound();
    const { contact, field } = replyingContact(ws, body);
    if (ticket.category !== "Customer") {
      throw new IntercomApiError(400, "parameter_mismatch", "User replies are not allowed on Backoffice tickets");
    }
    if (!ticket.contact_ids.includes(contact.id)) throw new IntercomApiError(400, "parameter_invalid", "The contact is not part of this ticket", { field });
    const { part } = addTicketReply(ws, ticket, {
      kind: "comment",
      author: ticketContactAuthor(contact),
      body: textToHtml(body.body),
      createdAt: body.created_at ?? ws.clock.now(),
      attachments: (body.attachment_urls ?? []).map((url) => ({ name: fileName(url), url })),
    });
    return serializeTicketReply(part);
  });

  app.post<{ Params: { ticket_id: string } }>("/tickets/:ticket_id/tags", async (request) => {
    const ws = request.workspace;
    const ticket = requireTicket(ws, request.params.ticket_id);
    const body = parseBody(tagBody, request.body);
    const tag = ws.tags.get(body.id);
    if (tag === undefined) throw new IntercomApiError(404, "tag_not_found", "Tag not found", { field: "id" });
    if (!ws.admins.has(body.admin_id)) throw new IntercomApiError(404, "admin_not_found", "Admin not found", { field: "admin_id" });
    let applied = ticket.tags.find((t) => t.id === tag.id);
    if (applied === undefined) {
      applied = { id: tag.id, applied_at: ws.clock.now(), applied_by: body.admin_id };
      ticketsOf(ws).save({ ...ticket, tags: [...ticket.tags, applied] });
    }
    return serializeAppliedTag(tag, applied);
  });

  app.delete<{ Params: { ticket_id: string; tag_id: string } }>("/tickets/:ticket_id/tags/:tag_id", async (request) => {
    const ws = request.workspace;
    const ticket = requireTicket(ws, request.params.ticket_id);
    const body = parseBody(untagBody, request.body ?? {});
    if (!ws.admins.has(body.admin_id)) throw new IntercomApiError(404, "admin_not_found", "Admin not found", { field: "admin_id" });
    const tag = ws.tags.get(request.params.tag_id);
    const applied = ticket.tags.find((t) => t.id === request.params.tag_id);
    if (tag === undefined || applied === undefined) throw new IntercomApiError(404, "tag_not_found", "Tag not found");
    ticketsOf(ws).save({ ...ticket, tags: ticket.tags.filter((t) => t.id !== tag.id) });
    return serializeAppliedTag(tag, applied);
  });
}
