import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { adminRule, requestConversation } from "./wire.js";

/**
 * `CloseConversation`: `POST /conversations/{id}/parts` with `message_type: close`, and an
 * optional last message the contact sees.
 *
 * @example
 * const closed = await closeConversation.run(intercom, { conversation_id: "1001", admin_id: "991200", body: "Goodbye" });
 * if (closed.ok) console.log(closed.value.statistics?.last_close_at);
 */
export const closeConversation = defineAction({
  id: "CloseConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, admin_id, body } = input;
    return requestConversation(intercom, "POST /conversations/{id}/parts", conversation_id, [adminRule(admin_id)], (sdk, options) =>
      sdk.conversations.manage({ conversation_id, body: { message_type: "close", type: "admin", admin_id, ...(body === undefined ? {} : { body }) } }, options),
    );
  },
});
