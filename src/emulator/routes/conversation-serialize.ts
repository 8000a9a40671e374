import type { AttachmentRecord, AuthorRef, ConversationPartRecord, ConversationRecord } from "../model.js";
import type { Workspace } from "../workspace.js";

/** Intercom returns at most this many (the most recent) parts of a conversation. */
const MAX_PARTS = 500;

/** How to render a conversation. */
export interface ConversationView {
  /** Include `conversation_parts` (retrieve, reply, webhooks) or not (list and search items). */
  parts?: boolean;
  /** Bodies as plain text (`display_as=plaintext`) instead of HTML. */
  plaintext?: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/**
 * The text of an HTML body: block ends and `<br>` become line breaks, tags go, entities decode.
 *
 * @example
 * htmlToText("<p>Hi &amp; bye</p><p>Ada</p>"); // "Hi & bye\nAda"
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6])>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#39|[a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m)
    .replace(/\n{2,}/g, "\n")
    .trim();
}

function serializeAuthor(a: AuthorRef): Record<string, unknown> {
  const author: Record<string, unknown> = { type: a.type, id: a.id, name: a.name };
  // The schema's email is a non-null email address: left out when the author has none.
  if (a.email !== null && a.email !== "") author.email = a.email;
  return author;
}

function serializeAttachment(a: AttachmentRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "upload", name: a.name };
  if (a.url !== null) body.url = a.url;
  if (a.content_type !== null) body.content_type = a.content_type;
  if (a.filesize !== null) body.filesize = a.filesize;
  return body;
}

function serializePart(p: ConversationPartRecord, render: (html: string) => string): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (p.quick_reply_options !== undefined) metadata.quick_reply_options = p.quick_reply_options;
  if (p.quick_reply_uuid !== undefined) metadata.quick_reply_uuid = p.quick_reply_uuid;
  return {
    type: "conversation_part",
    id: p.id,
    part_type: p.part_type,
    body: p.body === null ? null : render(p.body),
    created_at: p.created_at,
    updated_at: p.updated_at,
    notified_at: p.created_at,
    assigned_to: null,
    author: serializeAuthor(p.author),
    attachments: (p.attachments ?? []).map(serializeAttachment),
    external_id: null,
    redacted: false,
    metadata,
    email_message_metadata: null,
    tags: [],
    app_package_code: null,
  };
}

const isContact = (a: AuthorRef): boolean => a.type === "user" || a.type === "lead";
const ADMIN_REPLIES = new Set(["comment", "quick_reply"]);
const CONTACT_MESSAGES = new Set(["comment", "open", "quick_reply"]);

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : Math.round(((sorted[mid - 1] ?? hi) + hi) / 2);
}

/**
 * The `statistics` Intercom reports, computed from the opening message and the parts. Only what
 * the record can tell is given (no assignment or business-hours data).
 *
 * @example
 * conversationStatistics(conversation).count_conversation_parts; // 3
 */
export function conversationStatistics(c: ConversationRecord): Record<string, unknown> {
  const parts = [...c.parts].sort((a, b) => a.created_at - b.created_at);
  const contactTimes: number[] = isContact(c.source.author) ? [c.created_at] : [];
  const adminReplies: ConversationPartRecord[] = [];
  const closes: ConversationPartRecord[] = [];
  const replyTimes: number[] = [];
  let waitingSince: number | undefined = contactTimes[0];
  for (const p of parts) {
    if (isContact(p.author) && CONTACT_MESSAGES.has(p.part_type)) {
      contactTimes.push(p.created_at);
      waitingSince ??= p.created_at;
    } else if (p.author.type === "admin" && ADMIN_REPLIES.has(p.part_type)) {
      adminReplies.push(p);
      if (waitingSince !== undefined) replyTimes.push(p.created_at - waitingSince);
      waitingSince = undefined;
    }
    if (p.part_type === "close") closes.push(p);
  }
  const firstContact = contactTimes[0];
  const stats: Record<string, unknown> = {
    type: "conversation_statistics",
    count_reopens: parts.filter((p) => p.part_type === "open").length,
    count_assignments: parts.filter((p) => p.part_type.startsWith("assign")).length,
    count_conversation_parts: parts.length,
  };
  const set = (key: string, value: number | string | undefined): void => {
    if (value !== undefined) stats[key] = value;
  };
  set("first_contact_reply_at", firstContact);
  set("last_contact_reply_at", contactTimes[contactTimes.length - 1]);
  set("last_admin_reply_at", adminReplies[adminReplies.length - 1]?.created_at);
  if (firstContact !== undefined) {
    const firstAdmin = adminReplies.find((p) => p.created_at >= firstContact)?.created_at;
    set("first_admin_reply_at", firstAdmin);
    set("time_to_admin_reply", firstAdmin === undefined ? undefined : firstAdmin - firstContact);
  }
  const since = firstContact ?? c.created_at;
  const firstClose = closes.find((p) => p.created_at >= since);
  const lastClose = closes[closes.length - 1];
  set("first_close_at", firstClose?.created_at);
  set("time_to_first_close", firstClose === undefined ? undefined : firstClose.created_at - since);
  set("last_close_at", lastClose?.created_at);
  set("time_to_last_close", lastClose === undefined ? undefined : lastClose.created_at - since);
  set("last_closed_by_id", lastClose?.author.type === "admin" ? lastClose.author.id : undefined);
  set("median_time_to_reply", median(replyTimes));
  return stats;
}

/**
 * A conversation as Intercom 2.14 answers it (`conversation` schema; without `parts` the
 * `conversation_list_item` one), with nulls where the schema allows and nothing is known.
 *
 * @example
 * reply.send(serializeConversation(workspace, conversation));
 * serializeConversation(workspace, conversation, { parts: false }); // a list item
 */
export function serializeConversation(workspace: Workspace, c: ConversationRecord, view: ConversationView = {}): Record<string, unknown> {
  const render = view.plaintext === true ? htmlToText : (html: string): string => html;
  const stats = conversationStatistics(c);
  const firstContactAt = stats.first_contact_reply_at;
  const teammates = new Set<string>();
  if (c.source.author.type === "admin") teammates.add(c.source.author.id);
  for (const p of c.parts) if (p.author.type === "admin") teammates.add(p.author.id);
  const body: Record<string, unknown> = {
    type: "conversation",
    id: c.id,
    title: c.title,
    created_at: c.created_at,
    updated_at: c.updated_at,
    waiting_since: c.waiting_since,
    snoozed_until: c.snoozed_until,
    source: {
      type: c.source.type,
      id: c.source.id,
      delivered_as: c.source.delivered_as,
      subject: c.source.subject,
      body: render(c.source.body),
      author: serializeAuthor(c.source.author),
      attachments: (c.source.attachments ?? []).map(serializeAttachment),
      url: c.source.url,
      redacted: false,
    },
    contacts: {
      type: "contact.list",
      contacts: c.contact_ids.map((id) => ({ type: "contact", id, external_id: workspace.contacts.get(id)?.external_id ?? null })),
    },
    first_contact_reply:
      typeof firstContactAt === "number" ? { created_at: firstContactAt, type: c.source.type === "email" ? "email" : "conversation", url: c.source.url } : null,
    admin_assignee_id: c.admin_assignee_id,
    team_assignee_id: c.team_assignee_id,
    open: c.open,
    state: c.state,
    read: c.read,
    tags: {
      type: "tag.list",
      tags: c.tag_ids.flatMap((id) => {
        const tag = workspace.tags.get(id);
        return tag === undefined ? [] : [{ type: "tag", id: tag.id, name: tag.name }];
      }),
    },
    priority: c.priority,
    sla_applied: null,
    statistics: stats,
    conversation_rating: null,
    teammates: { type: "admin.list", teammates: [...teammates].map((id) => ({ type: "admin", id })) },
    custom_attributes: {},
    topics: {},
    ticket: null,
    linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
    ai_agent: null,
    ai_agent_participated: false,
  };
  if (view.parts !== false) {
    body.conversation_parts = {
      type: "conversation_part.list",
      conversation_parts: c.parts.slice(-MAX_PARTS).map((p) => serializePart(p, render)),
      total_count: c.parts.length,
    };
  }
  return body;
}
