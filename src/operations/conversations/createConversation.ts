import { ConversationMessage } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";

/**
 * `CreateConversation`: `POST /conversations` written by a contact (`from: {type: contact}`, a
 * user or a lead), as from the Messenger. Answers Intercom's message with its conversation's id.
 * Not safe to retry blindly: each call starts another conversation.
 *
 * @example
 * const started = await createConversation.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", body: "I need help" });
 * if (started.ok) console.log(started.value.conversation_id);
 */
export const createConversation = defineAction({
  id: "CreateConversation",
  execute(intercom, input): Promise<Result<ConversationMessage, ConnectorError>> {
    const { contact_id, body } = input;
    return intercom.request({
      what: "POST /conversations",
      answer: ConversationMessage,
      notFound: { resource: "contact", id: contact_id },
      send: (sdk, options) => sdk.conversations.create({ from: { type: "contact", id: contact_id }, body }, options),
    });
  },
});
