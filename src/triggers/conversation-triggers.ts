import { trigAdminReplied } from "./trigAdminReplied.js";
import { trigContactReplied } from "./trigContactReplied.js";
import { trigConversationAssigned } from "./trigConversationAssigned.js";
import { trigConversationClosed } from "./trigConversationClosed.js";
import { trigConversationRated } from "./trigConversationRated.js";
import { trigLeadConverted } from "./trigLeadConverted.js";
import { trigTagAddedToContact } from "./trigTagAddedToContact.js";

/**
 * The conversation triggers (polled through the conversation statistics and rating, and pushed)
 * and the push-only contact triggers, spread into `TRIGGERS`.
 *
 * @example
 * CONVERSATION_TRIGGERS.TrigContactReplied.pushTopics; // ["conversation.user.replied"]
 */
export const CONVERSATION_TRIGGERS = {
  TrigContactReplied: trigContactReplied,
  TrigAdminReplied: trigAdminReplied,
  TrigConversationAssigned: trigConversationAssigned,
  TrigConversationClosed: trigConversationClosed,
  TrigConversationRated: trigConversationRated,
  TrigTagAddedToContact: trigTagAddedToContact,
  TrigLeadConverted: trigLeadConverted,
} as const;
