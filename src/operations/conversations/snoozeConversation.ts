import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { adminRule, requestConversation } from "./wire.js";

/**
 * `SnoozeConversation`: `POST /conversations/{id}/parts` with `message_type: snoozed` until
 * `snoozed_until`; Intercom refuses a time that is not in the future (`intercom_rejected`).
 *
 * @example
 * const snoozed = await snoozeConversation.run(intercom, { conversation_id: "1001", admin_id: "991200", snoozed_until: 1795609838 });
 * if (snoozed.ok) console.log(snoozed.value.snoozed_until);
 */
export const snoozeConversation = defineAction({
  id: "SnoozeConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, admin_id, snoozed_until } = input;
    return requestConversation(intercom, "POST /conversations/{id}/parts", conversation_id, [adminRule(admin_id)], (sdk, options) =>
      sdk.conversations.manage({ conversation_id, body: { message_type: "snoozed", admin_id, snoozed_until } }, options),
    );
  },
});
