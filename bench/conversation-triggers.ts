/**
 * The conversation triggers' entries for the calls-per-poll table (bench/trigger-calls.ts): each
 * makes its events on 1,000 conversations that leads started before the subscription's baseline,
 * the way the emulator's routes make them.
 */
import { assignConversation, closeConversation, rateConversation } from "../src/emulator/routes/conversation-actions.js";
import { addAdminReply, addContactReply, startContactConversation } from "../src/emulator/routes/conversation-records.js";
import type { ConversationRecord } from "../src/emulator/model.js";
import type { Workspace } from "../src/emulator/workspace.js";
import type { MeasuredTrigger } from "./trigger-calls.js";

/**
 * One entry per pollable conversation trigger.
 *
 * @example
 * rows.push(...(await benchTriggerCalls(engine, connection.id, ws, conversationTriggers(ws))));
 */
export function conversationTriggers(ws: Workspace): MeasuredTrigger[] {
  const owner = ws.admins.get(ws.ownerAdminId);
  if (owner === undefined) throw new Error("no owner admin");
  let made: string[] = [];
  const prepare = (n: number): void => {
    made = Array.from({ length: n }, (_, i) => {
      const contact = ws.insertContact({ role: "lead", email: `conversation-${ws.clock.now()}-${i}@example.com` }, { emit: false });
      return startContactConversation(ws, { contact, body: `<p>Question ${i}</p>` }).id;
    });
  };
  const on = (act: (c: ConversationRecord) => void) => (i: number): void => {
    const c = ws.conversations.get(made[i] ?? "");
    if (c !== undefined) act(c);
  };
  const contactOf = (c: ConversationRecord) => {
    const contact = ws.contacts.get(c.contact_ids[0] ?? "");
    if (contact === undefined) throw new Error(`conversation ${c.id} has no contact`);
    return contact;
  };
  return [
    { triggerId: "TrigContactReplied", events: "contact replies", prepare, make: on((c) => void addContactReply(ws, c, contactOf(c), { body: "<p>More</p>" })) },
    { triggerId: "TrigAdminReplied", events: "teammate replies", prepare, make: on((c) => void addAdminReply(ws, c, owner, "comment", { body: "<p>On it</p>" })) },
    { triggerId: "TrigConversationAssigned", events: "assignments", prepare, make: on((c) => void assignConversation(ws, c, owner, { type: "admin", admin: owner }, null)) },
    { triggerId: "TrigConversationClosed", events: "closes", prepare, make: on((c) => void closeConversation(ws, c, owner, null)) },
    { triggerId: "TrigConversationRated", events: "ratings", prepare, make: on((c) => void rateConversation(ws, c, contactOf(c), 5, null)) },
  ];
}
