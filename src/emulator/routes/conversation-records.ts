import type {
  AdminRecord,
  AttachmentRecord,
  AuthorRef,
  ContactRecord,
  ConversationPartRecord,
  ConversationRecord,
  QuickReplyOptionRecord,
} from "../model.js";
import type { Workspace } from "../workspace.js";

// The id sequences (and their starts) the demo seeding uses too, so ids never collide.
const CONVERSATION_SEQUENCE = "conversation";
const PART_SEQUENCE = "conversation_part";
const MESSAGE_SEQUENCE = "message";
const SEQUENCE_START = 1_000;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Plain text as Intercom stores it: each non-empty line a `<p>` paragraph, HTML escaped.
 *
 * @example
 * textToHtml("Hi <you>"); // "<p>Hi &lt;you&gt;</p>"
 */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => `<p>${line.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch)}</p>`)
    .join("");
}

/**
 * An admin's message body: HTML is kept, plain text becomes paragraphs (admins may send either).
 *
 * @example
 * adminHtml("Hello"); // "<p>Hello</p>"
 * adminHtml("<b>Hello</b>"); // "<b>Hello</b>"
 */
export function adminHtml(body: string): string {
  return /<[a-z][^>]*>/i.test(body) ? body : textToHtml(body);
}

/**
 * A contact as the author of a message or part.
 *
 * @example
 * contactAuthor(contact); // { type: "user", id: "…", name: "Ada", email: "ada@example.com" }
 */
export function contactAuthor(contact: ContactRecord): AuthorRef {
  return { type: contact.role, id: contact.id, name: contact.name, email: contact.email };
}

/**
 * An admin as the author of a message or part.
 *
 * @example
 * adminAuthor(admin); // { type: "admin", id: "991200", name: "Ada Owner", email: "owner@…" }
 */
export function adminAuthor(admin: AdminRecord): AuthorRef {
  return { type: "admin", id: admin.id, name: admin.name, email: admin.email };
}

function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") || url;
  } catch {
    return url;
  }
}

/**
 * Attachments from `attachment_urls` (named by the URL's last path segment) and
 * `attachment_files` (base64 data; only its name, type and size are kept).
 *
 * @example
 * attachmentsFrom(["https://example.com/a.png"], []); // [{ name: "a.png", url: "https://example.com/a.png", … }]
 */
export function attachmentsFrom(
  urls: readonly string[] = [],
  files: ReadonlyArray<{ name: string; content_type: string; data: string }> = [],
): AttachmentRecord[] {
  return [
    ...urls.map((url) => ({ name: fileName(url), url, content_type: null, filesize: null })),
    ...files.map((f) => ({ name: f.name, url: null, content_type: f.content_type, filesize: Buffer.from(f.data, "base64").length })),
  ];
}

/** What a contact starts a conversation with. */
export interface ContactStart {
  contact: ContactRecord;
  /** The HTML body. */
  body: string;
  subject?: string;
  createdAt?: number;
  attachments?: AttachmentRecord[];
}

/**
 * Stores a conversation a contact started in the Messenger (open, waiting for a reply) and emits
 * `conversation.user.created`, the webhook Intercom sends only for contact-initiated ones.
 *
 * @example
 * const conversation = startContactConversation(workspace, { contact, body: "<p>Hi</p>" });
 */
export function startContactConversation(ws: Workspace, start: ContactStart): ConversationRecord {
  const at = start.createdAt ?? ws.clock.now();
  const record: ConversationRecord = {
    id: ws.ids.numeric(CONVERSATION_SEQUENCE, SEQUENCE_START),
    title: null,
    created_at: at,
    updated_at: at,
    waiting_since: at,
    snoozed_until: null,
    open: true,
    state: "open",
    read: false,
    priority: "not_priority",
    admin_assignee_id: null,
    team_assignee_id: null,
    source: {
      type: "conversation",
      id: ws.ids.numeric(MESSAGE_SEQUENCE, SEQUENCE_START),
      delivered_as: "customer_initiated",
      subject: start.subject ?? "",
      body: start.body,
      author: contactAuthor(start.contact),
      url: null,
      attachments: start.attachments ?? [],
    },
    contact_ids: [start.contact.id],
    tag_ids: [],
    parts: [],
  };
  ws.saveConversation(record);
  ws.emit("conversation.user.created", record);
  return record;
}

/** What an admin starts a conversation with (`POST /messages`). */
export interface AdminStart {
  admin: AdminRecord;
  contacts: readonly ContactRecord[];
  channel: "conversation" | "email";
  subject: string;
  /** The HTML body. */
  body: string;
  createdAt?: number;
  /** Open it in the inbox now instead of when the contact replies. */
  openNow: boolean;
}

/**
 * Stores a conversation an admin started. Until the contact replies it stays closed (out of the
 * inbox) unless `openNow`, as `create_conversation_without_contact_reply` asks. No webhook: the
 * `conversation.user.created` topic is for contact-initiated conversations only.
 *
 * @example
 * startAdminConversation(workspace, { admin, contacts: [contact], channel: "email", subject: "Hi", body: "<p>Hi</p>", openNow: false });
 */
export function startAdminConversation(ws: Workspace, start: AdminStart): ConversationRecord {
  const at = start.createdAt ?? ws.clock.now();
  const record: ConversationRecord = {
    id: ws.ids.numeric(CONVERSATION_SEQUENCE, SEQUENCE_START),
    title: null,
    created_at: at,
    updated_at: at,
    waiting_since: null,
    snoozed_until: null,
    open: start.openNow,
    state: start.openNow ? "open" : "closed",
    read: false,
    priority: "not_priority",
    admin_assignee_id: null,
    team_assignee_id: null,
    source: {
      type: start.channel,
      id: ws.ids.numeric(MESSAGE_SEQUENCE, SEQUENCE_START),
      delivered_as: "admin_initiated",
      subject: start.subject,
      body: start.body,
      author: adminAuthor(start.admin),
      url: null,
      attachments: [],
    },
    contact_ids: [...new Set(start.contacts.map((c) => c.id))],
    tag_ids: [],
    parts: [],
  };
  ws.saveConversation(record);
  return record;
}

/** A reply's content. */
export interface ReplyInput {
  /** The HTML body (null for a quick reply offer without text). */
  body: string | null;
  createdAt?: number;
  attachments?: AttachmentRecord[];
  quickReplyOptions?: QuickReplyOptionRecord[];
  quickReplyUuid?: string;
}

/**
 * A new part, numbered in the workspace's part sequence, at `createdAt` or now.
 *
 * @example
 * const part = newPart(workspace, "note", adminAuthor(admin), { body: "<p>Called them</p>" });
 */
export function newPart(ws: Workspace, partType: string, author: AuthorRef, input: ReplyInput): ConversationPartRecord {
  const at = input.createdAt ?? ws.clock.now();
  const part: ConversationPartRecord = { id: ws.ids.numeric(PART_SEQUENCE, SEQUENCE_START), part_type: partType, body: input.body, created_at: at, updated_at: at, author };
  if (input.attachments !== undefined && input.attachments.length > 0) part.attachments = input.attachments;
  if (input.quickReplyOptions !== undefined) part.quick_reply_options = input.quickReplyOptions;
  if (input.quickReplyUuid !== undefined) part.quick_reply_uuid = input.quickReplyUuid;
  return part;
}

/**
 * Adds a contact's reply and emits `conversation.user.replied`. A reply to a closed or snoozed
 * conversation reopens it (the part is then an `open` part, as in Intercom's answers); the
 * contact is waiting from this reply on unless it was already waiting.
 *
 * @example
 * const updated = addContactReply(workspace, conversation, contact, { body: "<p>Thanks</p>" });
 */
export function addContactReply(ws: Workspace, c: ConversationRecord, contact: ContactRecord, input: ReplyInput): ConversationRecord {
  const part = newPart(ws, c.state === "open" ? "comment" : "open", contactAuthor(contact), input);
  const next: ConversationRecord = {
    ...c,
    parts: [...c.parts, part],
    updated_at: Math.max(c.updated_at, part.created_at),
    waiting_since: c.waiting_since ?? part.created_at,
    open: true,
    state: "open",
    snoozed_until: null,
    read: false,
  };
  part.state = "open";
  ws.saveConversation(next);
  ws.emit("conversation.user.replied", next);
  return next;
}

/**
 * Adds an admin's reply: a `comment` or `quick_reply` answers the contact (nobody is waiting any
 * more, and the admin has read it; `conversation.admin.replied`); a `note` is internal and
 * changes nothing else (`conversation.admin.noted`).
 *
 * @example
 * addAdminReply(workspace, conversation, admin, "note", { body: "<p>Called them</p>" });
 */
export function addAdminReply(
  ws: Workspace,
  c: ConversationRecord,
  admin: AdminRecord,
  kind: "comment" | "note" | "quick_reply",
  input: ReplyInput,
): ConversationRecord {
  const part = newPart(ws, kind, adminAuthor(admin), input);
  const next: ConversationRecord = { ...c, parts: [...c.parts, part], updated_at: Math.max(c.updated_at, part.created_at) };
  if (kind !== "note") {
    next.waiting_since = null;
    next.read = true;
  }
  part.state = next.state;
  ws.saveConversation(next);
  ws.emit(kind === "note" ? "conversation.admin.noted" : "conversation.admin.replied", next);
  return next;
}
