import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Company } from "../../contract/catalogue/companies.js";
import { defineAction } from "../define-action.js";
import { mapCompany, WireCompany } from "./wire.js";

/**
 * `AttachContactToCompany`: `POST /contacts/{id}/companies {id}`. Attaching twice is one
 * attachment. Intercom's 404 does not say which of the two it did not find.
 *
 * @example
 * const company = await attachContactToCompany.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", id: "6762f0761bb69f9f2193bae2" });
 */
export const attachContactToCompany = defineAction({
  id: "AttachContactToCompany",
  async execute(intercom, input): Promise<Result<Company, ConnectorError>> {
    const company = await intercom.request({
      what: "POST /contacts/{id}/companies",
      answer: WireCompany,
      pathIds: [input.contact_id],
      notFound: { resource: "contact or company", id: `${input.contact_id} / ${input.id}` },
      send: (sdk, options) => sdk.companies.attachContact({ contact_id: input.contact_id, id: input.id }, options),
    });
    return company.ok ? ok(mapCompany(company.value)) : company;
  },
});

/**
 * `DetachContactFromCompany`: `DELETE /contacts/{id}/companies/{company_id}`. A contact not
 * attached to the company is `not_found`, as Intercom answers it.
 *
 * @example
 * const company = await detachContactFromCompany.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", id: "6762f0761bb69f9f2193bae2" });
 */
export const detachContactFromCompany = defineAction({
  id: "DetachContactFromCompany",
  async execute(intercom, input): Promise<Result<Company, ConnectorError>> {
    const company = await intercom.request({
      what: "DELETE /contacts/{id}/companies/{company_id}",
      answer: WireCompany,
      pathIds: [input.contact_id, input.id],
      notFound: { resource: "company attached to the contact", id: input.id },
      send: (sdk, options) => sdk.companies.detachContact({ contact_id: input.contact_id, company_id: input.id }, options),
    });
    return company.ok ? ok(mapCompany(company.value)) : company;
  },
});
