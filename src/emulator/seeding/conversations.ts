import type { AdminRecord, AuthorRef, ContactRecord, ConversationPartRecord, ConversationRecord, TagRecord } from "../model.js";
import type { Workspace } from "../workspace.js";
import type { Prng } from "./prng.js";
import { OUTREACH, TOPICS } from "./vocabulary.js";

const MINUTE = 60;
const HOUR = 3_600;

/** What conversation seeding draws on. */
export interface ConversationSeedContext {
  workspace: Workspace;
  rng: Prng;
  now: number;
  /** Contacts that may take part (they need an email: part authors carry one). */
  contacts: readonly ContactRecord[];
  admins: readonly AdminRecord[];
  tags: readonly TagRecord[];
}

function contactAuthor(c: ContactRecord): AuthorRef {
  return { type: c.role, id: c.id, name: c.name, email: c.email };
}

function adminAuthor(a: AdminRecord): AuthorRef {
  return { type: "admin", id: a.id, name: a.name, email: a.email };
}

function html(text: string): string {
  return `<p>${text}</p>`;
}

/**
 * Stores `count` conversations between the given contacts and admins: about 80% started by the
 * contact in the Messenger, the rest by a teammate by email, each with up to four parts (reply,
 * follow-up, note, close) in time order after the contact was created. Returns how many it stored.
 *
 * @example
 * seedConversations({ workspace, rng, now, contacts, admins, tags }, 50); // 50
 */
export function seedConversations(ctx: ConversationSeedContext, count: number): number {
  const { workspace, rng, now } = ctx;
  if (ctx.contacts.length === 0 || ctx.admins.length === 0) return 0;
  for (let i = 0; i < count; i++) {
    const contact = rng.pick(ctx.contacts);
    const admin = rng.pick(ctx.admins);
    const createdAt = rng.int(contact.created_at, Math.max(contact.created_at, now - HOUR));
    const customerInitiated = rng.chance(0.8);
    const topic = rng.pick(TOPICS);
    const outreach = rng.pick(OUTREACH);
    const subject = customerInitiated ? topic.subject : outreach.subject;
    const nextPartId = (): string => workspace.ids.numeric("conversation_part", 1_000);

    // Each step happens a little after the previous one, never after "now".
    let t = createdAt;
    const later = (): number => (t = Math.min(now, t + rng.int(2 * MINUTE, 6 * HOUR)));
    const part = (part_type: string, body: string | null, author: AuthorRef): ConversationPartRecord => {
      const at = later();
      return { id: nextPartId(), part_type, body, created_at: at, updated_at: at, author };
    };

    const parts: ConversationPartRecord[] = [];
    const steps = rng.int(0, 4);
    if (customerInitiated) {
      if (steps >= 1) parts.push(part("comment", html(topic.reply), adminAuthor(admin)));
      if (steps >= 2) parts.push(part("comment", html(topic.followUp), contactAuthor(contact)));
      if (steps >= 3 && topic.note !== "") parts.push(part("note", html(topic.note), adminAuthor(admin)));
    } else if (steps >= 1) {
      parts.push(part("comment", html(outreach.followUp), contactAuthor(contact)));
    }
    const closed = steps >= 4 || (steps >= 2 && rng.chance(0.4));
    const snoozed = !closed && steps >= 1 && rng.chance(0.15);
    if (closed) parts.push(part("close", null, adminAuthor(admin)));
    else if (snoozed) parts.push(part("snoozed", null, adminAuthor(admin)));

    const last = parts[parts.length - 1];
    const lastMessage = [...parts].reverse().find((p) => p.part_type === "comment");
    const contactWaiting = lastMessage === undefined ? customerInitiated : lastMessage.author.type !== "admin";
    const assigned = !customerInitiated || parts.some((p) => p.author.type === "admin") || rng.chance(0.5);
    const record: ConversationRecord = {
      id: workspace.ids.numeric("conversation", 1_000),
      title: customerInitiated && rng.chance(0.7) ? null : subject,
      created_at: createdAt,
      updated_at: last?.created_at ?? createdAt,
      waiting_since: !closed && contactWaiting ? (lastMessage?.created_at ?? createdAt) : null,
      snoozed_until: snoozed ? now + rng.int(1, 72) * HOUR : null,
      open: !closed,
      state: closed ? "closed" : snoozed ? "snoozed" : "open",
      read: closed || parts.length > 0 || rng.chance(0.5),
      priority: rng.chance(0.15) ? "priority" : "not_priority",
      admin_assignee_id: assigned ? Number(admin.id) : null,
      team_assignee_id: null,
      source: {
        type: customerInitiated ? "conversation" : "email",
        id: workspace.ids.numeric("message", 1_000),
        delivered_as: customerInitiated ? "customer_initiated" : "admin_initiated",
        subject: customerInitiated ? "" : subject,
        body: html(customerInitiated ? topic.opening : outreach.opening),
        author: customerInitiated ? contactAuthor(contact) : adminAuthor(admin),
        url: null,
      },
      contact_ids: [contact.id],
      tag_ids: ctx.tags.length > 0 && rng.chance(0.2) ? [rng.pick(ctx.tags).id] : [],
      parts,
    };
    workspace.saveConversation(record);
  }
  return count;
}
