import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigConversationClosed`: once for each close of a conversation; polled through conversations search by `statistics.last_close_at`, pushed as `conversation.admin.closed`, keyed by the conversation and that time (closed, reopened and closed again between polls: one poll event, two pushed).
 *
 * @example
 * trigConversationClosed.pushTopics; // ["conversation.admin.closed"]
 */
export const trigConversationClosed = defineTrigger({
  id: "TrigConversationClosed",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("statistics.last_close_at"),
  pushTopics: ["conversation.admin.closed"],
  time: (conversation) => conversation.statistics?.last_close_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.statistics?.last_close_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => typeof conversation.statistics?.last_close_at === "number",
  toEvent: async (conversation) => conversationEvent(conversation),
});
