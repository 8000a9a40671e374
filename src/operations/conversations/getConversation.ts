import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { requestConversation } from "./wire.js";

/**
 * `GetConversation`: `GET /conversations/{id}`, the conversation with its parts (Intercom's 500
 * most recent), statistics, tags and rating; `plaintext` asks for bodies as text. Safe to retry.
 *
 * @example
 * const conversation = await getConversation.run(intercom, { conversation_id: "1001" });
 * if (conversation.ok) console.log(conversation.value.state, conversation.value.conversation_parts?.total_count);
 */
export const getConversation = defineAction({
  id: "GetConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, plaintext } = input;
    return requestConversation(intercom, "GET /conversations/{id}", conversation_id, [], (sdk, options) =>
      sdk.conversations.find({ conversation_id, ...(plaintext === true ? { display_as: "plaintext" } : {}) }, options),
    );
  },
});
