import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigContactReplied`: once for each reply of a user or lead to a conversation; polled through
 * conversations search by `statistics.last_contact_reply_at`, pushed as `conversation.user.replied`,
 * keyed by the conversation and that time. The message that starts a conversation counts in
 * Intercom's statistics as the contact's first reply, at `created_at`: it is TrigNewConversation's
 * event, not this one's (so a reply in the very second the conversation started is not told apart
 * by a poll; a push still delivers it). Two replies between polls are one poll event.
 *
 * @example
 * trigContactReplied.pushTopics; // ["conversation.user.replied"]
 */
export const trigContactReplied = defineTrigger({
  id: "TrigContactReplied",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("statistics.last_contact_reply_at"),
  pushTopics: ["conversation.user.replied"],
  time: (conversation) => conversation.statistics?.last_contact_reply_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.statistics?.last_contact_reply_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => {
    const at = conversation.statistics?.last_contact_reply_at;
    return at !== null && at !== undefined && at > conversation.created_at;
  },
  toEvent: async (conversation) => conversationEvent(conversation),
});
