import { assignConversation, closeConversation, openConversation, rateConversation } from "../../emulator/routes/conversation-actions.js";
import { addAdminReply, addContactReply, startContactConversation } from "../../emulator/routes/conversation-records.js";
import type { AdminRecord, ContactRecord, ConversationRecord } from "../../emulator/model.js";
import type { Workspace } from "../../emulator/workspace.js";
import type { TriggerFixture } from "./harness.js";
import type { TriggerEventMaker } from "./scenarios.js";

// The conversation triggers' events, made in the emulator's workspace the way its routes make
// them (the same records, statistics and webhooks), so a scenario of hundreds of events stays fast.

type Stat = "last_contact_reply_at" | "last_admin_reply_at" | "last_assignment_at" | "last_close_at";

function conversation(ws: Workspace, id: string): ConversationRecord {
  const found = ws.conversations.get(id);
  if (found === undefined) throw new Error(`no conversation ${id}`);
  return found;
}

function contactOf(ws: Workspace, c: ConversationRecord): ContactRecord {
  const contact = ws.contacts.get(c.contact_ids[0] ?? "");
  if (contact === undefined) throw new Error(`conversation ${c.id} has no contact`);
  return contact;
}

function owner(ws: Workspace): AdminRecord {
  const admin = ws.admins.get(ws.ownerAdminId);
  if (admin === undefined) throw new Error("no owner admin");
  return admin;
}

/** Conversations a new lead each started: their opening message is no event of these triggers. */
async function startConversations(f: TriggerFixture, count: number): Promise<string[]> {
  const ws = f.em.workspace;
  return Array.from({ length: count }, (_, i) => {
    const contact = ws.insertContact({ role: "lead", email: `conversation-${ws.clock.now()}-${i}@example.com` }, { emit: false });
    return startContactConversation(ws, { contact, body: `<p>Help, please (${i})</p>` }).id;
  });
}

function statistic(payload: Record<string, unknown>, stat: Stat): number {
  const value = (payload.statistics as Record<string, unknown> | null | undefined)?.[stat];
  if (typeof value !== "number") throw new Error(`payload ${String(payload.id)} has no statistics.${stat}`);
  return value;
}

function statisticMaker(triggerId: TriggerEventMaker["triggerId"], stat: Stat, act: (ws: Workspace, c: ConversationRecord) => void): TriggerEventMaker {
  return {
    triggerId,
    prepare: startConversations,
    async happen(f, targets) {
      const ws = f.em.workspace;
      return targets.map((id) => {
        act(ws, conversation(ws, id));
        return `${id}:${ws.clock.now()}`;
      });
    },
    identity: (payload) => `${String(payload.id)}:${statistic(payload, stat)}`,
    time: (payload) => statistic(payload, stat),
  };
}

/** A contact's reply to each conversation. */
export const contactReplies = statisticMaker("TrigContactReplied", "last_contact_reply_at", (ws, c) => {
  addContactReply(ws, c, contactOf(ws, c), { body: "<p>One more thing</p>" });
});

/** A teammate's reply (a comment the contact sees) to each conversation. */
export const adminReplies = statisticMaker("TrigAdminReplied", "last_admin_reply_at", (ws, c) => {
  addAdminReply(ws, c, owner(ws), "comment", { body: "<p>On it</p>" });
});

/** An assignment of each conversation to the workspace's owner. */
export const assignments = statisticMaker("TrigConversationAssigned", "last_assignment_at", (ws, c) => {
  const admin = owner(ws);
  assignConversation(ws, c, admin, { type: "admin", admin }, null);
});

/** A close of each conversation (reopened first when it is closed: closing a closed one adds nothing). */
export const closes = statisticMaker("TrigConversationClosed", "last_close_at", (ws, c) => {
  const admin = owner(ws);
  const open = c.state === "closed" ? openConversation(ws, c, admin) : c;
  closeConversation(ws, open, admin, null);
});

/** A contact's rating of each conversation (5, then 4 when rated again). */
export const ratings: TriggerEventMaker = {
  triggerId: "TrigConversationRated",
  prepare: startConversations,
  async happen(f, targets) {
    const ws = f.em.workspace;
    return targets.map((id) => {
      const c = conversation(ws, id);
      rateConversation(ws, c, contactOf(ws, c), c.conversation_rating === null || c.conversation_rating === undefined ? 5 : 4, null);
      return `${id}:${ws.clock.now()}`;
    });
  },
  identity: (payload) => `${String(payload.id)}:${ratedAt(payload)}`,
  time: ratedAt,
};

function ratedAt(payload: Record<string, unknown>): number {
  const value = (payload.conversation_rating as Record<string, unknown> | null | undefined)?.updated_at;
  if (typeof value !== "number") throw new Error(`payload ${String(payload.id)} has no conversation_rating.updated_at`);
  return value;
}
