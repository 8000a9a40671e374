import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigConversationAssigned`: once for each assignment of a conversation to an admin or a team; polled through conversations search by `statistics.last_assignment_at`, pushed as `conversation.admin.assigned`, keyed by the conversation and that time. Intercom's statistics count assignments from the contact's first message on, so an assignment before it fires neither way.
 *
 * @example
 * trigConversationAssigned.pushTopics; // ["conversation.admin.assigned"]
 */
export const trigConversationAssigned = defineTrigger({
  id: "TrigConversationAssigned",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("statistics.last_assignment_at"),
  pushTopics: ["conversation.admin.assigned"],
  time: (conversation) => conversation.statistics?.last_assignment_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.statistics?.last_assignment_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => typeof conversation.statistics?.last_assignment_at === "number",
  toEvent: async (conversation) => conversationEvent(conversation),
});
