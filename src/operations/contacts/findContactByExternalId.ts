import type { Contact } from "../../contract/catalogue/contacts.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { ContactAnswer, notFoundOn } from "./answers.js";

/**
 * `FindContactByExternalId`: `GET /contacts/find_by_external_id/{external_id}` (one Intercom
 * call); answers the contact, its role included. The external id is the customer's own text: the
 * contract has refused what encoding cannot make safe (`.`, `..`, control characters) and the SDK
 * percent-encodes the rest, so `a/b` is one path segment. None is `not_found` on `external_id`.
 *
 * @example
 * const result = await findContactByExternalId.run(intercom, { external_id: "crm-42" });
 * if (result.ok) console.log(result.value.role);
 */
export const findContactByExternalId = defineAction({
  id: "FindContactByExternalId",
  async execute(intercom, input): Promise<Result<Contact, ConnectorError>> {
    const externalId = input.external_id;
    const what = { resource: "contact", id: externalId };
    const answer = await intercom.request({
      what: "GET /contacts/find_by_external_id/{external_id}",
      answer: ContactAnswer,
      notFound: what,
      send: (sdk, options) => sdk.contacts.showContactByExternalId({ external_id: externalId }, options),
    });
    return notFoundOn(answer, what, "external_id");
  },
});
