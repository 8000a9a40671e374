import type { Contact } from "../../contract/catalogue/contacts.js";
import { err, type ConnectorError, type Result } from "../../contract/index.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { defineAction } from "../define-action.js";
import { contactWithRole } from "../roles.js";
import { ContactAnswer } from "./answers.js";

/**
 * Why Intercom refused a merge, in terms of the input: `from` not a lead or `into` not a user
 * (`not_found` or `wrong_role` on that field), or `null` when both are what they must be.
 */
async function whyRefused(intercom: IntercomTransport, from: string, into: string): Promise<ConnectorError | null> {
  const lead = await contactWithRole(intercom, from, "lead", "from");
  if (!lead.ok) return lead.error;
  const user = await contactWithRole(intercom, into, "user", "into");
  return user.ok ? null : user.error;
}

/**
 * `ConvertLead`: merges a lead into a user with `POST /contacts/merge` (one Intercom call) and
 * answers the user. When Intercom refuses (404, 400), two reads say which id is wrong: an unknown
 * one is `not_found`, a contact of the other role `wrong_role`, on `from` or `into`. A retry after
 * a merge that went through finds the lead gone: `not_found` on `from`.
 *
 * @example
 * const result = await convertLead.run(intercom, { from: "6762f0d51bb69f9f2193bb7f", into: "6762f0d51bb69f9f2193bb80" });
 * if (result.ok) console.log(result.value.role); // "user"
 */
export const convertLead = defineAction({
  id: "ConvertLead",
  async execute(intercom, input): Promise<Result<Contact, ConnectorError>> {
    const { from, into } = input;
    const merged = await intercom.request({
      what: "POST /contacts/merge",
      answer: ContactAnswer,
      pathIds: [from, into],
      notFound: { resource: "contact", id: from },
      send: (sdk, options) => sdk.contacts.mergeLeadInUser({ from, into }, options),
    });
    if (merged.ok || (merged.error.code !== "not_found" && merged.error.code !== "intercom_rejected")) return merged;
    const reason = await whyRefused(intercom, from, into);
    return err(reason ?? merged.error);
  },
});
