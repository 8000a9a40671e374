import type { ArchivedContact } from "../../contract/catalogue/contacts.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { ArchivedContactAnswer, notFoundOn } from "./answers.js";

/**
 * `UnarchiveContact`: `POST /contacts/{id}/unarchive` (one Intercom call); answers Intercom's
 * `contact_unarchived`. Unarchiving a contact that is not archived answers the same: safe to retry.
 *
 * @example
 * const result = await unarchiveContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" });
 * if (result.ok) console.log(result.value.archived); // false
 */
export const unarchiveContact = defineAction({
  id: "UnarchiveContact",
  async execute(intercom, input): Promise<Result<ArchivedContact, ConnectorError>> {
    const id = input.contact_id;
    const what = { resource: "contact", id };
    const answer = await intercom.request({
      what: "POST /contacts/{id}/unarchive",
      answer: ArchivedContactAnswer,
      pathIds: [id],
      notFound: what,
      send: (sdk, options) => sdk.contacts.unarchive({ contact_id: id }, options),
    });
    return notFoundOn(answer, what, "contact_id");
  },
});
