import type { ArchivedContact } from "../../contract/catalogue/contacts.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { ArchivedContactAnswer, notFoundOn } from "./answers.js";

/**
 * `ArchiveContact`: `POST /contacts/{id}/archive` (one Intercom call); answers Intercom's
 * `contact_archived`. Archiving an archived contact again answers the same: safe to retry.
 *
 * @example
 * const result = await archiveContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" });
 * if (result.ok) console.log(result.value.archived); // true
 */
export const archiveContact = defineAction({
  id: "ArchiveContact",
  async execute(intercom, input): Promise<Result<ArchivedContact, ConnectorError>> {
    const id = input.contact_id;
    const what = { resource: "contact", id };
    const answer = await intercom.request({
      what: "POST /contacts/{id}/archive",
      answer: ArchivedContactAnswer,
      pathIds: [id],
      notFound: what,
      send: (sdk, options) => sdk.contacts.archive({ contact_id: id }, options),
    });
    return notFoundOn(answer, what, "contact_id");
  },
});
