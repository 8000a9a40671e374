import { ok, type ConnectorError, type Lead_Response, type Result } from "../contract/index.js";
import { defineAction } from "./define-action.js";
import { mapLead } from "./mapping.js";
import { contactWithRole } from "./roles.js";

/**
 * `GetLead` (Obter o cliente potencial): one lead by Intercom id. A user's id is `wrong_role` (404).
 *
 * @example
 * const result = await getLead.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" });
 * if (result.ok) console.log(result.value.email);
 */
export const getLead = defineAction({
  id: "GetLead",
  async execute(intercom, input): Promise<Result<Lead_Response, ConnectorError>> {
    const contact = await contactWithRole(intercom, input.contact_id, "lead", "contact_id");
    return contact.ok ? ok(mapLead(contact.value)) : contact;
  },
});
