import type { TriggerId } from "../contract/index.js";
import type { Trigger } from "./define-trigger.js";
import { CONVERSATION_TRIGGERS } from "./conversation-triggers.js";
import { trigNewConversation } from "./trigNewConversation.js";
import { trigNewLead } from "./trigNewLead.js";
import { trigNewTicket } from "./trigNewTicket.js";
import { trigNewUser } from "./trigNewUser.js";
import { trigTicketStateChanged } from "./trigTicketStateChanged.js";
import { trigUpdateUser } from "./trigUpdateUser.js";

/**
 * Every trigger by id, each typed by its own id (its events are that trigger's contract output).
 * Adding a trigger is its file plus one line here.
 *
 * @example
 * TRIGGERS.TrigNewLead.pushTopics; // ["contact.lead.created"]
 */
export const TRIGGERS: { readonly [Id in TriggerId]: Trigger<Id> } = {
  TrigNewLead: trigNewLead,
  TrigNewUser: trigNewUser,
  TrigUpdateUser: trigUpdateUser,
  TrigNewConversation: trigNewConversation,
  ...CONVERSATION_TRIGGERS,
  TrigNewTicket: trigNewTicket,
  TrigTicketStateChanged: trigTicketStateChanged,
};

const BY_TOPIC = new Map<string, Trigger[]>();
for (const trigger of Object.values(TRIGGERS) as Trigger[]) {
  for (const topic of trigger.pushTopics) BY_TOPIC.set(topic, [...(BY_TOPIC.get(topic) ?? []), trigger]);
}

/**
 * The triggers an Intercom webhook topic feeds (none for a topic the connector ignores).
 *
 * @example
 * triggersForTopic("contact.lead.created").map((t) => t.id); // ["TrigNewLead"]
 */
export function triggersForTopic(topic: string): readonly Trigger[] {
  return BY_TOPIC.get(topic) ?? [];
}

/**
 * Every Intercom webhook topic some trigger takes, sorted (what to subscribe the Intercom app to).
 *
 * @example
 * pushTopics(); // ["contact.lead.created", "contact.user.created", …]
 */
export function pushTopics(): string[] {
  return [...BY_TOPIC.keys()].sort();
}
