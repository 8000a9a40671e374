import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { adminRule, requestConversation } from "./wire.js";

/**
 * `ReplyToConversation`: `POST /conversations/{id}/reply`, as an admin (a `comment` the contact
 * sees, or an internal `note`) or as a contact (a comment; a closed or snoozed conversation
 * reopens). Not safe to retry blindly: each call adds a reply.
 *
 * @example
 * const replied = await replyToConversation.run(intercom, { conversation_id: "1001", admin_id: "991200", body: "On it" });
 * if (replied.ok) console.log(replied.value.statistics?.last_admin_reply_at);
 */
export const replyToConversation = defineAction({
  id: "ReplyToConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, body, admin_id, contact_id } = input;
    if (admin_id !== undefined) {
      return requestConversation(intercom, "POST /conversations/{id}/reply", conversation_id, [adminRule(admin_id)], (sdk, options) =>
        sdk.conversations.reply({ conversation_id, body: { type: "admin", message_type: input.message_type ?? "comment", admin_id, body } }, options),
      );
    }
    const contact = contact_id ?? "";
    return requestConversation(
      intercom,
      "POST /conversations/{id}/reply",
      conversation_id,
      // Intercom's 404 for an unknown contact is "User Not Found"; for the conversation, "Resource Not Found".
      [{ message: /user|contact/i, resource: "contact", id: contact, field: "contact_id" }],
      (sdk, options) => sdk.conversations.reply({ conversation_id, body: { type: "user", message_type: "comment", intercom_user_id: contact, body } }, options),
    );
  },
});
