import { assignConversation } from "./assignConversation.js";
import { closeConversation } from "./closeConversation.js";
import { createConversation } from "./createConversation.js";
import { getConversation } from "./getConversation.js";
import { openConversation } from "./openConversation.js";
import { replyToConversation } from "./replyToConversation.js";
import { searchConversations } from "./searchConversations.js";
import { sendMessage } from "./sendMessage.js";
import { setConversationAttributes } from "./setConversationAttributes.js";
import { snoozeConversation } from "./snoozeConversation.js";
import { tagConversation } from "./tagConversation.js";
import { untagConversation } from "./untagConversation.js";

/**
 * The conversations area's actions by id.
 *
 * @example
 * const closed = await CONVERSATION_ACTIONS.CloseConversation.run(intercom, { conversation_id: "1001", admin_id: "991200" });
 */
export const CONVERSATION_ACTIONS = {
  GetConversation: getConversation,
  ReplyToConversation: replyToConversation,
  AssignConversation: assignConversation,
  CloseConversation: closeConversation,
  OpenConversation: openConversation,
  SnoozeConversation: snoozeConversation,
  TagConversation: tagConversation,
  UntagConversation: untagConversation,
  SetConversationAttributes: setConversationAttributes,
  CreateConversation: createConversation,
  SendMessage: sendMessage,
  SearchConversations: searchConversations,
} as const;
