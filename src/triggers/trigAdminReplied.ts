import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigAdminReplied`: once for each teammate reply the contact sees (a comment, a quick reply, or an assignment or close sent with a message; never a note); polled through conversations search by `statistics.last_admin_reply_at`, pushed as `conversation.admin.replied` (an assignment or close with a message is pushed under its own topic, so only the poll sees it as a reply), keyed by the conversation and that time. Two replies between polls are one poll event.
 *
 * @example
 * trigAdminReplied.pushTopics; // ["conversation.admin.replied"]
 */
export const trigAdminReplied = defineTrigger({
  id: "TrigAdminReplied",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("statistics.last_admin_reply_at"),
  pushTopics: ["conversation.admin.replied"],
  time: (conversation) => conversation.statistics?.last_admin_reply_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.statistics?.last_admin_reply_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => typeof conversation.statistics?.last_admin_reply_at === "number",
  toEvent: async (conversation) => conversationEvent(conversation),
});
