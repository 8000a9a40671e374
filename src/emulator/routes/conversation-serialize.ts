import type { AttachmentRecord, AuthorRef, ConversationPartRecord, ConversationRatingRecord, ConversationRecord } from "../model.js";
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
    assigned_to: p.assigned_to ?? null,
    author: serializeAuthor(p.author),
    attachments: (p.attachments ?? []).map(serializeAttachment),
    external_id: null,
    redacted: false,
    metadata,
    email_message_metadata: null,
    ...(p.state === undefined ? {} : { state: p.state }),
    tags: [],
    app_package_code: null,
  };
}

const isContact = (a: AuthorRef): boolean => a.type === "user" || a.type === "lead";
const ADMIN_REPLIES = new Set(["comment", "quick_reply"]);
/** Admin parts that answer the contact when they carry a message (assign or close "with a reply"). */
const ADMIN_REPLIES_WITH_BODY = new Set(["assignment", "assign_and_reopen", "close"]);
const CONTACT_MESSAGES = new Set(["comment", "open", "quick_reply"]);
const ASSIGNMENTS = new Set(["assignment", "assign_and_reopen"]);
const REOPENS = new Set(["open", "assign_and_reopen"]);

function isAdminReply(p: ConversationPartRecord): boolean {
  return p.author.type === "admin" && (ADMIN_REPLIES.has(p.part_type) || (ADMIN_REPLIES_WITH_BODY.has(p.part_type) && p.body !== null));
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : Math.round(((sorted[mid - 1] ?? hi) + hi) / 2);
}

/**
 * The `statistics` Intercom reports, computed from the opening message and the parts as the
 * description defines each: replies, assignments, closes and reopens, the `first_*`/`count_*`
 * of assignments and reopens counted from the first contact reply on. Only what the record can
 * tell is given (no business hours, no handling time).
 *
 * @example
 * conversationStatistics(conversation).count_conversation_parts; // 3
 */
export function conversationStatistics(c: ConversationRecord): Record<string, unknown> {
  // Stable: parts written in the same second keep their order.
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
    } else if (isAdminReply(p)) {
      adminReplies.push(p);
      if (waitingSince !== undefined) replyTimes.push(p.created_at - waitingSince);
      waitingSince = undefined;
    }
    if (p.part_type === "close") closes.push(p);
  }
  const firstContact = contactTimes[0];
  const afterContact = (p: ConversationPartRecord): boolean => firstContact !== undefined && p.created_at >= firstContact;
  const assignments = parts.filter((p) => ASSIGNMENTS.has(p.part_type) && afterContact(p));
  const stats: Record<string, unknown> = {
    type: "conversation_statistics",
    count_reopens: parts.filter((p) => REOPENS.has(p.part_type) && afterContact(p)).length,
    count_assignments: assignments.length,
    count_conversation_parts: parts.length,
  };
  const set = (key: string, value: number | string | undefined): void => {
    if (value !== undefined) stats[key] = value;
  };
  set("first_contact_reply_at", firstContact);
  set("last_contact_reply_at", contactTimes[contactTimes.length - 1]);
  set("last_admin_reply_at", adminReplies[adminReplies.length - 1]?.created_at);
  const firstAssignment = assignments[0];
  const lastAssignment = assignments[assignments.length - 1];
  set("first_assignment_at", firstAssignment?.created_at);
  set("last_assignment_at", lastAssignment?.created_at);
  if (lastAssignment !== undefined) {
    set("last_assignment_admin_reply_at", adminReplies.find((p) => p.created_at >= lastAssignment.created_at && p !== lastAssignment)?.created_at);
  }
  if (firstContact !== undefined) {
    const firstAdmin = adminReplies.find((p) => p.created_at >= firstContact)?.created_at;
    set("first_admin_reply_at", firstAdmin);
    set("time_to_admin_reply", firstAdmin === undefined ? undefined : firstAdmin - firstContact);
    // The last assignment before the first admin reply (or the last one, with no reply yet).
    const beforeReply = assignments.filter((p) => firstAdmin === undefined || p.created_at <= firstAdmin);
    const assignedAt = beforeReply[beforeReply.length - 1]?.created_at;
    set("time_to_assignment", assignedAt === undefined ? undefined : assignedAt - firstContact);
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
 * A rating as the description's `conversation_rating`: the contact as a `contact_reference`,
 * the teammate as a `reference` (left out when nobody is known); a remark only when given.
 *
 * @example
 * serializeRating(workspace, conversation.conversation_rating);
 */
export function serializeRating(workspace: Workspace, r: ConversationRatingRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { rating: r.rating };
  if (r.remark !== null) body.remark = r.remark;
  Object.assign(body, {
    created_at: r.created_at,
    updated_at: r.updated_at,
    contact: { type: "contact", id: r.contact_id, external_id: workspace.contacts.get(r.contact_id)?.external_id ?? null },
  });
  if (r.teammate_id !== null) body.teammate = { type: "admin", id: r.teammate_id };
  return body;
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
        if (tag === undefined) return [];
        const applied = c.tag_applications?.[id];
        if (applied === undefined) return [{ type: "tag", id: tag.id, name: tag.name }];
        return [{ type: "tag", id: tag.id, name: tag.name, applied_at: applied.applied_at, applied_by: applied.applied_by === null ? null : { type: "admin", id: applied.applied_by } }];
      }),
    },
    priority: c.priority,
    sla_applied: null,
    statistics: stats,
    conversation_rating: c.conversation_rating === undefined || c.conversation_rating === null ? null : serializeRating(workspace, c.conversation_rating),
    teammates: { type: "admin.list", teammates: [...teammates].map((id) => ({ type: "admin", id })) },
    custom_attributes: { ...c.custom_attributes },
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
