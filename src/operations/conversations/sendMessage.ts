import { ConversationMessage } from "../../contract/catalogue/conversations.js";
import { err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { adminRule, isMissing, missingError, orMissing, sendNaming } from "./wire.js";

/**
 * `SendMessage`: `POST /messages` from an admin to a user or lead, in the Messenger (`inapp`) or
 * by email (with a subject). The conversation it starts stays out of the inbox until the contact
 * replies, unless `open_conversation`. Not safe to retry blindly: each call sends another message.
 *
 * @example
 * const sent = await sendMessage.run(intercom, { admin_id: "991200", contact_id: "6762f0a51bb69f9f2193bb5c", contact_role: "user", message_type: "inapp", body: "Welcome" });
 * if (sent.ok) console.log(sent.value.conversation_id);
 */
export const sendMessage = defineAction({
  id: "SendMessage",
  async execute(intercom, input): Promise<Result<ConversationMessage, ConnectorError>> {
    const { admin_id, contact_id, contact_role, message_type, subject, body, template, open_conversation } = input;
    const request = {
      message_type,
      body,
      ...(subject === undefined ? {} : { subject }),
      ...(template === undefined ? {} : { template }),
      // The description's admin id is a string; the SDK's type says number.
      from: { type: "admin", id: admin_id as unknown as number },
      to: { type: contact_role, id: contact_id },
      ...(open_conversation === undefined ? {} : { create_conversation_without_contact_reply: open_conversation }),
    } as const;
    const answer = await intercom.request({
      what: "POST /messages",
      answer: orMissing(ConversationMessage),
      notFound: { resource: contact_role, id: contact_id },
      send: (sdk, options) => sendNaming(() => sdk.messages.create(request as never, options), [adminRule(admin_id)]),
    });
    if (!answer.ok) return answer;
    return isMissing(answer.value) ? err(missingError(answer.value)) : ok(answer.value);
  },
});
