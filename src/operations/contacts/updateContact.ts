import type { Contact } from "../../contract/catalogue/contacts.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { checkCustomAttributes } from "../custom-attributes.js";
import { defineAction } from "../define-action.js";
import { ContactAnswer, notFoundOn } from "./answers.js";

/**
 * `UpdateContact`: `PUT /contacts/{id}` with the attributes given (one Intercom call); answers
 * Intercom's contact as it now is. An unknown id is `not_found` on `contact_id`; an email or
 * external id another contact has is Intercom's 409, `conflict`. `custom_attributes` are checked
 * against the workspace's data attributes first (`invalid_custom_attribute`, nothing changed).
 *
 * @example
 * const result = await updateContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", name: "Ada" });
 * if (result.ok) console.log(result.value.name);
 */
export const updateContact = defineAction({
  id: "UpdateContact",
  async execute(intercom, input): Promise<Result<Contact, ConnectorError>> {
    const { contact_id: id, ...fields } = input;
    const what = { resource: "contact", id };
    const attributes = await checkCustomAttributes(intercom, "contact", input.custom_attributes);
    if (!attributes.ok) return attributes;
    const answer = await intercom.request({
      what: "PUT /contacts/{id}",
      answer: ContactAnswer,
      pathIds: [id],
      notFound: what,
      // The SDK's type has no null; the API takes it to clear name, phone, avatar and owner.
      send: (sdk, options) => sdk.contacts.update({ contact_id: id, ...(fields as Record<string, never>) }, options),
    });
    return notFoundOn(answer, what, "contact_id");
  },
});
