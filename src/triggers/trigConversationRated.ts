import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigConversationRated`: once for each rating a contact gives a conversation; polled through
 * conversations search by `conversation_rating.replied_at` (the rating's `updated_at`), pushed as
 * `conversation.rating.added`, keyed by the conversation and that time (a changed rating is
 * another event).
 *
 * @example
 * trigConversationRated.pushTopics; // ["conversation.rating.added"]
 */
export const trigConversationRated = defineTrigger({
  id: "TrigConversationRated",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("conversation_rating.replied_at"),
  pushTopics: ["conversation.rating.added"],
  time: (conversation) => conversation.conversation_rating?.updated_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.conversation_rating?.updated_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => typeof conversation.conversation_rating?.rating === "number" && typeof conversation.conversation_rating.updated_at === "number",
  toEvent: async (conversation) => conversationEvent(conversation),
});
