import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { adminRule, requestConversation } from "./wire.js";

/**
 * `OpenConversation`: `POST /conversations/{id}/parts` with `message_type: open`, reopening a
 * closed or snoozed conversation.
 *
 * @example
 * const opened = await openConversation.run(intercom, { conversation_id: "1001", admin_id: "991200" });
 * if (opened.ok) console.log(opened.value.state); // "open"
 */
export const openConversation = defineAction({
  id: "OpenConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, admin_id } = input;
    return requestConversation(intercom, "POST /conversations/{id}/parts", conversation_id, [adminRule(admin_id)], (sdk, options) =>
      sdk.conversations.manage({ conversation_id, body: { message_type: "open", admin_id } }, options),
    );
  },
});
