import type { DeletedContact } from "../../contract/catalogue/contacts.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { DeletedContactAnswer, notFoundOn } from "./answers.js";

/**
 * `DeleteContact`: `DELETE /contacts/{id}` (one Intercom call); answers Intercom's
 * `contact_deleted`. An unknown id, or one already deleted, is `not_found` on `contact_id`.
 *
 * @example
 * const result = await deleteContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" });
 * if (result.ok) console.log(result.value.deleted); // true
 */
export const deleteContact = defineAction({
  id: "DeleteContact",
  async execute(intercom, input): Promise<Result<DeletedContact, ConnectorError>> {
    const id = input.contact_id;
    const what = { resource: "contact", id };
    const answer = await intercom.request({
      what: "DELETE /contacts/{id}",
      answer: DeletedContactAnswer,
      pathIds: [id],
      notFound: what,
      send: (sdk, options) => sdk.contacts.delete({ contact_id: id }, options),
    });
    return notFoundOn(answer, what, "contact_id");
  },
});
