import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, IntercomApiError } from "../errors.js";
import type { ContactRecord, ConversationRecord } from "../model.js";
import { cursorPages, decodeCursor, encodeCursor, parsePerPage } from "../pagination.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { requireAdmin } from "./admins.js";
import {
  addAdminReply,
  addContactReply,
  adminHtml,
  attachmentsFrom,
  startAdminConversation,
  startContactConversation,
  textToHtml,
} from "./conversation-records.js";
import { registerConversationManageRoutes } from "./conversation-manage.js";
import { adminId, present } from "./conversation-schemas.js";
import { serializeConversation } from "./conversation-serialize.js";

export { serializeConversation } from "./conversation-serialize.js";

/** `GET /conversations` serves this many per page unless asked otherwise (the description's default). */
const CONVERSATIONS_PER_PAGE = 20;

const unix = z.number().int().nonnegative();
const attachmentUrls = z.array(z.string().url()).max(10);
const attachmentFiles = z
  .array(z.strictObject({ content_type: z.string().min(1), data: z.string().regex(/^[A-Za-z0-9+/=\s]*$/, "must be base64"), name: z.string().min(1) }))
  .max(10);
const quickReplyOption = z.strictObject({ text: z.string().min(1), uuid: z.string().uuid() });

const createConversationBody = z.strictObject({
  from: z.strictObject({ type: present(z.enum(["lead", "user", "contact"])), id: z.string().min(1) }),
  body: z.string().min(1),
  subject: z.string().max(255).optional(),
  attachment_urls: attachmentUrls.optional(),
  created_at: unix.optional(),
});

const recipient = z.strictObject({ type: present(z.enum(["user", "lead"])), id: z.string().min(1) });
const recipients = present(z.union([recipient, z.array(recipient).min(1).max(100)]));
const createMessageBody = z.strictObject({
  // The description says `in_app`; the official SDK and the description's examples send `inapp`.
  message_type: present(z.enum(["in_app", "inapp", "email"])),
  subject: z.string().max(255).optional(),
  body: z.string().nullable().optional(),
  template: z.enum(["plain", "personal"]).optional(),
  from: z.strictObject({ type: present(z.literal("admin")), id: adminId }).optional(),
  to: recipients,
  cc: recipients.optional(),
  bcc: recipients.optional(),
  created_at: unix.optional(),
  create_conversation_without_contact_reply: z.boolean().optional(),
});

const replyKind = z.object({ type: present(z.enum(["admin", "user"])) });
const adminReplyBody = z.strictObject({
  type: present(z.literal("admin")),
  message_type: present(z.enum(["comment", "note", "quick_reply"])),
  admin_id: adminId,
  body: z.string().optional(),
  created_at: unix.optional(),
  reply_options: z.array(quickReplyOption).min(1).max(20).optional(),
  attachment_urls: attachmentUrls.optional(),
  attachment_files: attachmentFiles.optional(),
});
const contactReplyBody = z.strictObject({
  type: present(z.literal("user")),
  message_type: present(z.enum(["comment", "quick_reply"])),
  body: z.string().optional(),
  intercom_user_id: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  created_at: unix.optional(),
  reply_options: z.array(quickReplyOption).length(1).optional(),
  attachment_urls: attachmentUrls.optional(),
  attachment_files: attachmentFiles.optional(),
});

function userNotFound(field?: string): IntercomApiError {
  return new IntercomApiError(404, "not_found", "User Not Found", field === undefined ? {} : { field });
}

/** The contact a `{ type, id }` names; `user` and `lead` must match its role, `contact` takes any. */
function requireRecipient(ws: Workspace, ref: { type: string; id: string }, field: string): ContactRecord {
  const contact = ws.contacts.get(ref.id);
  if (contact === undefined || (ref.type !== "contact" && ref.type !== contact.role)) throw userNotFound(field);
  return contact;
}

function requireConversation(ws: Workspace, id: string): ConversationRecord {
  const conversation = ws.conversations.get(id);
  if (conversation === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
  return conversation;
}

/** The contact a contact reply is written by: by Intercom id, email or external id. */
function replyingContact(ws: Workspace, body: z.output<typeof contactReplyBody>): { contact: ContactRecord; field: string } {
  if (body.intercom_user_id !== undefined) {
    const contact = ws.contacts.get(body.intercom_user_id);
    if (contact === undefined) throw userNotFound("intercom_user_id");
    return { contact, field: "intercom_user_id" };
  }
  if (body.email !== undefined) {
    const email = body.email.toLowerCase();
    const id = ws.userIdByEmail(email) ?? [...ws.contacts.values()].find((c) => c.email?.toLowerCase() === email)?.id;
    const contact = id === undefined ? undefined : ws.contacts.get(id);
    if (contact === undefined) throw userNotFound("email");
    return { contact, field: "email" };
  }
  if (body.user_id !== undefined) {
    const id = ws.contactIdByExternalId(body.user_id);
    const contact = id === undefined ? undefined : ws.contacts.get(id);
    if (contact === undefined) throw userNotFound("user_id");
    return { contact, field: "user_id" };
  }
  throw errors.missing("intercom_user_id");
}

/** The contact's most recently updated conversation (`conversation_id` "last"). */
function lastConversationOf(ws: Workspace, contactId: string): ConversationRecord {
  let last: ConversationRecord | undefined;
  for (const c of ws.conversations.values()) {
    if (c.contact_ids.includes(contactId) && (last === undefined || compareForList(c, last) < 0)) last = c;
  }
  if (last === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
  return last;
}

function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isSafeInteger(na) && Number.isSafeInteger(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** List order: most recently updated first, then the newest id first. */
function compareForList(a: Pick<ConversationRecord, "updated_at" | "id">, b: Pick<ConversationRecord, "updated_at" | "id">): number {
  return b.updated_at - a.updated_at || compareIds(b.id, a.id);
}

function contactReply(ws: Workspace, conversationId: string, raw: unknown): ConversationRecord {
  const body = parseBody(contactReplyBody, raw);
  const option = body.reply_options?.[0];
  if (body.message_type === "quick_reply" && option === undefined) throw errors.missing("reply_options");
  const text = body.body ?? option?.text;
  if (text === undefined || text.trim() === "") throw errors.missing("body");
  const { contact, field } = replyingContact(ws, body);
  const conversation = conversationId === "last" ? lastConversationOf(ws, contact.id) : requireConversation(ws, conversationId);
  if (!conversation.contact_ids.includes(contact.id)) {
    throw new IntercomApiError(400, "parameter_invalid", "The contact is not part of this conversation", { field });
  }
  return addContactReply(ws, conversation, contact, {
    body: textToHtml(text),
    ...(body.created_at === undefined ? {} : { createdAt: body.created_at }),
    attachments: attachmentsFrom(body.attachment_urls, body.attachment_files),
    ...(option === undefined ? {} : { quickReplyUuid: option.uuid }),
  });
}

function adminReply(ws: Workspace, conversationId: string, raw: unknown): ConversationRecord {
  const body = parseBody(adminReplyBody, raw);
  if (body.message_type === "quick_reply") {
    if (body.reply_options === undefined) throw errors.missing("reply_options");
  } else if (body.body === undefined) {
    throw errors.missing("body");
  } else if (body.body.trim() === "") {
    throw errors.badRequest("body must not be empty", "body");
  }
  const conversation = requireConversation(ws, conversationId);
  const admin = requireAdmin(ws, body.admin_id);
  return addAdminReply(ws, conversation, admin, body.message_type, {
    body: body.body === undefined || body.body.trim() === "" ? null : adminHtml(body.body),
    ...(body.created_at === undefined ? {} : { createdAt: body.created_at }),
    attachments: attachmentsFrom(body.attachment_urls, body.attachment_files),
    ...(body.reply_options === undefined ? {} : { quickReplyOptions: body.reply_options }),
  });
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Registers the conversation routes (create by a contact, list, retrieve, reply, and through
 * conversation-manage.ts parts, update and tags) and `POST /messages` (a message an admin starts).
 *
 * @example
 * registerConversationRoutes(app);
 */
export function registerConversationRoutes(app: FastifyInstance): void {
  app.post("/conversations", async (request) => {
    const ws = request.workspace;
    const body = parseBody(createConversationBody, request.body);
    const contact = requireRecipient(ws, body.from, "from.id");
    const conversation = startContactConversation(ws, {
      contact,
      body: textToHtml(body.body),
      ...(body.subject === undefined ? {} : { subject: body.subject }),
      ...(body.created_at === undefined ? {} : { createdAt: body.created_at }),
      attachments: attachmentsFrom(body.attachment_urls),
    });
    return {
      type: "user_message",
      id: conversation.source.id,
      created_at: conversation.created_at,
      body: body.body,
      message_type: "inapp",
      conversation_id: conversation.id,
    };
  });

  app.post("/messages", async (request) => {
    const ws = request.workspace;
    const body = parseBody(createMessageBody, request.body);
    if (body.body === undefined || body.body === null || body.body.trim() === "") {
      throw new IntercomApiError(400, "parameter_invalid", "Body is required", { field: "body" });
    }
    const email = body.message_type === "email";
    if (email && (body.subject === undefined || body.subject.trim() === "")) {
      throw new IntercomApiError(422, "parameter_not_found", "No subject supplied for email message", { field: "subject" });
    }
    const to = asList(body.to);
    if (!email && (to.length > 1 || body.cc !== undefined || body.bcc !== undefined)) {
      throw errors.badRequest("An in-app message goes to exactly one contact", "to");
    }
    const admin = body.from === undefined ? requireAdmin(ws, ws.ownerAdminId) : requireAdmin(ws, body.from.id);
    // Everyone on an email (to, cc, bcc) takes part in the conversation it starts.
    const contacts = [
      ...to.map((r) => requireRecipient(ws, r, "to")),
      ...asList(body.cc).map((r) => requireRecipient(ws, r, "cc")),
      ...asList(body.bcc).map((r) => requireRecipient(ws, r, "bcc")),
    ];
    const conversation = startAdminConversation(ws, {
      admin,
      contacts,
      channel: email ? "email" : "conversation",
      subject: body.subject ?? "",
      body: adminHtml(body.body),
      ...(body.created_at === undefined ? {} : { createdAt: body.created_at }),
      openNow: body.create_conversation_without_contact_reply === true,
    });
    const message: Record<string, unknown> = {
      type: "admin_message",
      id: conversation.source.id,
      created_at: conversation.created_at,
      body: body.body,
      message_type: email ? "email" : "inapp",
      conversation_id: conversation.id,
      owner: { type: "admin", id: admin.id, name: admin.name, email: admin.email, away_mode_enabled: admin.away_mode_enabled, away_mode_reassign: admin.away_mode_reassign },
    };
    if (body.subject !== undefined) message.subject = body.subject;
    return message;
  });

  app.get<{ Querystring: { per_page?: string; starting_after?: string } }>("/conversations", async (request) => {
    const ws = request.workspace;
    const perPage = request.query.per_page === undefined ? CONVERSATIONS_PER_PAGE : parsePerPage(request.query.per_page, "per_page");
    const ordered = [...ws.conversations.values()].sort(compareForList);
    let start = 0;
    let served = 0;
    if (request.query.starting_after !== undefined) {
      const cursor = decodeCursor(request.query.starting_after, "starting_after");
      const at = { updated_at: typeof cursor.v === "number" ? cursor.v : Number.POSITIVE_INFINITY, id: cursor.id };
      // The first conversation after the cursor's position, even if that one changed since.
      start = ordered.findIndex((c) => compareForList(c, at) > 0);
      if (start === -1) start = ordered.length;
      served = cursor.n;
    }
    const page = ordered.slice(start, start + perPage);
    const last = page[page.length - 1];
    const next = start + perPage < ordered.length && last !== undefined ? encodeCursor({ v: last.updated_at, id: last.id, n: served + page.length }) : null;
    return {
      type: "conversation.list",
      conversations: page.map((c) => serializeConversation(ws, c, { parts: false })),
      total_count: ordered.length,
      pages: cursorPages({ served, perPage, total: ordered.length, nextCursor: next }),
    };
  });

  app.get<{ Params: { conversation_id: string }; Querystring: { display_as?: string } }>("/conversations/:conversation_id", async (request) => {
    const ws = request.workspace;
    const conversation = requireConversation(ws, request.params.conversation_id);
    return serializeConversation(ws, conversation, { plaintext: request.query.display_as === "plaintext" });
  });

  app.post<{ Params: { conversation_id: string } }>("/conversations/:conversation_id/reply", async (request) => {
    const ws = request.workspace;
    const kind = parseBody(replyKind, request.body).type;
    const id = request.params.conversation_id;
    const conversation = kind === "admin" ? adminReply(ws, id, request.body) : contactReply(ws, id, request.body);
    return serializeConversation(ws, conversation);
  });

  registerConversationManageRoutes(app);
}
