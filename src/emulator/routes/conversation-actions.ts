import type { AdminRecord, ContactRecord, ConversationPartRecord, ConversationRecord, TagRecord, TeamRecord } from "../model.js";
import type { Workspace } from "../workspace.js";
import { adminAuthor, newPart } from "./conversation-records.js";

/**
 * What an admin does to a conversation through `POST /conversations/{id}/parts` (besides
 * replying), `PUT /conversations/{id}` and its tags, as changes of the stored record. Each one
 * appends its part, moves `updated_at`, and emits Intercom's webhook topic; the statistics follow
 * from the parts (conversation-serialize.ts).
 */

/** Stores the conversation with its new part appended, the part carrying the state it leaves. */
function appendPart(ws: Workspace, c: ConversationRecord, part: ConversationPartRecord, change: Partial<ConversationRecord>): ConversationRecord {
  const next: ConversationRecord = { ...c, ...change, parts: [...c.parts, part], updated_at: Math.max(c.updated_at, part.created_at) };
  part.state = next.state;
  ws.saveConversation(next);
  return next;
}

/** Who to assign to: an admin, a team, or nobody (Intercom's assignee id `0`). */
export type Assignee = { type: "admin"; admin: AdminRecord | null } | { type: "team"; team: TeamRecord | null };

/**
 * Assigns a conversation to an admin or a team (or unassigns that side): an `assignment` part
 * whose `assigned_to` names the assignee, with the optional message as its body. A closed or
 * snoozed conversation is reopened by it (`assign_and_reopen`, as Intercom's example answers).
 * Emits `conversation.admin.assigned`.
 *
 * @example
 * assignConversation(workspace, conversation, admin, { type: "team", team }, null);
 */
export function assignConversation(ws: Workspace, c: ConversationRecord, by: AdminRecord, to: Assignee, body: string | null): ConversationRecord {
  const reopen = c.state !== "open";
  const part = newPart(ws, reopen ? "assign_and_reopen" : "assignment", adminAuthor(by), { body });
  const change: Partial<ConversationRecord> = reopen ? { state: "open", open: true, snoozed_until: null } : {};
  if (to.type === "admin") {
    part.assigned_to = to.admin === null ? null : { type: "admin", id: to.admin.id };
    change.admin_assignee_id = to.admin === null ? null : Number(to.admin.id);
  } else {
    part.assigned_to = to.team === null ? null : { type: "team", id: to.team.id };
    change.team_assignee_id = to.team === null ? null : Number(to.team.id);
  }
  // A message sent with the assignment answers the contact.
  if (body !== null) Object.assign(change, { waiting_since: null, read: true });
  const next = appendPart(ws, c, part, change);
  ws.emit("conversation.admin.assigned", next);
  return next;
}

/**
 * Closes a conversation with a `close` part (its body the optional message); nobody is waiting
 * on a closed conversation. Emits `conversation.admin.closed`.
 *
 * @example
 * closeConversation(workspace, conversation, admin, "<p>Goodbye :)</p>");
 */
export function closeConversation(ws: Workspace, c: ConversationRecord, by: AdminRecord, body: string | null): ConversationRecord {
  const part = newPart(ws, "close", adminAuthor(by), { body });
  const next = appendPart(ws, c, part, { state: "closed", open: false, snoozed_until: null, waiting_since: null, ...(body === null ? {} : { read: true }) });
  ws.emit("conversation.admin.closed", next);
  return next;
}

/**
 * Opens a closed or snoozed conversation with an `open` part. Emits `conversation.admin.opened`.
 *
 * @example
 * openConversation(workspace, conversation, admin);
 */
export function openConversation(ws: Workspace, c: ConversationRecord, by: AdminRecord): ConversationRecord {
  const part = newPart(ws, "open", adminAuthor(by), { body: null });
  const next = appendPart(ws, c, part, { state: "open", open: true, snoozed_until: null });
  ws.emit("conversation.admin.opened", next);
  return next;
}

/**
 * Snoozes a conversation until `until` (unix seconds) with a `snoozed` part; a snoozed
 * conversation stays `open: true`, as Intercom answers it. Emits `conversation.admin.snoozed`.
 *
 * @example
 * snoozeConversation(workspace, conversation, admin, now + 3600);
 */
export function snoozeConversation(ws: Workspace, c: ConversationRecord, by: AdminRecord, until: number): ConversationRecord {
  const part = newPart(ws, "snoozed", adminAuthor(by), { body: null });
  const next = appendPart(ws, c, part, { state: "snoozed", open: true, snoozed_until: until });
  ws.emit("conversation.admin.snoozed", next);
  return next;
}

/** When and by whom a tag was applied to a conversation. */
export interface ConversationTagApplication {
  applied_at: number;
  applied_by: string | null;
}

/**
 * Tags a conversation; a tag already applied keeps its first application. No part, no webhook.
 *
 * @example
 * const applied = tagConversation(workspace, conversation, tag, admin);
 */
export function tagConversation(ws: Workspace, c: ConversationRecord, tag: TagRecord, by: AdminRecord): ConversationTagApplication {
  const known = c.tag_applications?.[tag.id];
  if (c.tag_ids.includes(tag.id)) return known ?? { applied_at: c.created_at, applied_by: null };
  const applied = { applied_at: ws.clock.now(), applied_by: by.id };
  ws.saveConversation({
    ...c,
    tag_ids: [...c.tag_ids, tag.id],
    tag_applications: { ...c.tag_applications, [tag.id]: applied },
    updated_at: Math.max(c.updated_at, applied.applied_at),
  });
  return applied;
}

/**
 * Removes a tag from a conversation; answers how it had been applied (null when it was not).
 *
 * @example
 * untagConversation(workspace, conversation, tag);
 */
export function untagConversation(ws: Workspace, c: ConversationRecord, tag: TagRecord): ConversationTagApplication | null {
  if (!c.tag_ids.includes(tag.id)) return null;
  const applications = { ...c.tag_applications };
  const applied = applications[tag.id] ?? { applied_at: c.created_at, applied_by: null };
  delete applications[tag.id];
  ws.saveConversation({ ...c, tag_ids: c.tag_ids.filter((id) => id !== tag.id), tag_applications: applications, updated_at: Math.max(c.updated_at, ws.clock.now()) });
  return applied;
}

/** What `PUT /conversations/{id}` changes. */
export interface ConversationUpdate {
  read?: boolean;
  title?: string;
  /** Values to set; `null` removes one. */
  custom_attributes?: Record<string, string | number | null>;
}

/**
 * Applies `PUT /conversations/{id}`: read, title and custom attributes (checked by the caller).
 *
 * @example
 * updateConversation(workspace, conversation, { read: true, custom_attributes: { issue_type: "Billing" } });
 */
export function updateConversation(ws: Workspace, c: ConversationRecord, update: ConversationUpdate): ConversationRecord {
  const attributes: Record<string, string | number> = { ...c.custom_attributes };
  for (const [name, value] of Object.entries(update.custom_attributes ?? {})) {
    if (value === null) delete attributes[name];
    else attributes[name] = value;
  }
  const next: ConversationRecord = {
    ...c,
    ...(update.read === undefined ? {} : { read: update.read }),
    ...(update.title === undefined ? {} : { title: update.title }),
    custom_attributes: attributes,
    updated_at: Math.max(c.updated_at, ws.clock.now()),
  };
  ws.saveConversation(next);
  return next;
}

/** The admin a rating is about: the assigned admin, else the last admin who wrote a part. */
function ratedTeammate(c: ConversationRecord): string | null {
  if (c.admin_assignee_id !== null) return String(c.admin_assignee_id);
  const last = [...c.parts].reverse().find((p) => p.author.type === "admin");
  if (last !== undefined) return last.author.id;
  return c.source.author.type === "admin" ? c.source.author.id : null;
}

/**
 * Records a contact's rating (1 to 5, with an optional remark), as the Messenger does after a
 * close: `created_at` is when it was asked for (the last close, else now) and stays when the
 * contact rates again; `updated_at` moves. Emits `conversation.rating.added`.
 *
 * @example
 * rateConversation(workspace, conversation, contact, 5, "Quick and kind");
 */
export function rateConversation(ws: Workspace, c: ConversationRecord, contact: ContactRecord, rating: number, remark: string | null): ConversationRecord {
  const now = ws.clock.now();
  const lastClose = [...c.parts].reverse().find((p) => p.part_type === "close");
  const previous = c.conversation_rating ?? null;
  const next: ConversationRecord = {
    ...c,
    conversation_rating: {
      rating,
      remark: remark ?? (previous?.contact_id === contact.id ? previous.remark : null),
      created_at: previous?.created_at ?? Math.min(now, lastClose?.created_at ?? now),
      updated_at: now,
      contact_id: contact.id,
      teammate_id: ratedTeammate(c),
    },
    updated_at: Math.max(c.updated_at, now),
  };
  ws.saveConversation(next);
  ws.emit("conversation.rating.added", next);
  return next;
}
