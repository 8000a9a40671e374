import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { requestConversation } from "./wire.js";

/**
 * `SetConversationAttributes`: `PUT /conversations/{id}` with `custom_attributes` (and `read`,
 * `title` when given); the attributes not named stay. Intercom checks each name against the
 * workspace's conversation attributes and refuses an unknown one (`intercom_rejected` naming
 * `custom_attributes.<name>`). Safe to retry.
 *
 * @example
 * const updated = await setConversationAttributes.run(intercom, { conversation_id: "1001", custom_attributes: { issue_type: "Billing" } });
 */
export const setConversationAttributes = defineAction({
  id: "SetConversationAttributes",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, custom_attributes, read, title } = input;
    return requestConversation(intercom, "PUT /conversations/{id}", conversation_id, [], (sdk, options) =>
      sdk.conversations.update(
        // The SDK types attribute values as strings, numbers and objects; Intercom takes null to clear one.
        { conversation_id, custom_attributes: custom_attributes as never, ...(read === undefined ? {} : { read }), ...(title === undefined ? {} : { title }) },
        options,
      ),
    );
  },
});
