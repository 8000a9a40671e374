import type { Intercom } from "intercom-client";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Company } from "../../contract/catalogue/companies.js";
import { checkCustomAttributes } from "../custom-attributes.js";
import { defineAction } from "../define-action.js";
import { mapCompany, WireCompany } from "./wire.js";

/**
 * `CreateOrUpdateCompany`: `POST /companies`, keyed by `company_id`. Intercom itself updates the
 * company that has the company_id, so one call is race-safe and a retry is the same company.
 * `custom_attributes` are checked against the workspace's company data attributes first
 * (`invalid_custom_attribute`, nothing written).
 *
 * @example
 * const company = await createOrUpdateCompany.run(intercom, { company_id: "acme", name: "Acme", plan: "Pro" });
 * if (company.ok) console.log(company.value.id);
 */
export const createOrUpdateCompany = defineAction({
  id: "CreateOrUpdateCompany",
  async execute(intercom, input): Promise<Result<Company, ConnectorError>> {
    const attributes = await checkCustomAttributes(intercom, "company", input.custom_attributes);
    if (!attributes.ok) return attributes;
    // Only what was given is sent: an absent field leaves Intercom's value as it is.
    const body = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Intercom.CreateOrUpdateCompanyRequest;
    const company = await intercom.request({
      what: "POST /companies",
      answer: WireCompany,
      send: (sdk, options) => sdk.companies.createOrUpdate(body, options),
    });
    return company.ok ? ok(mapCompany(company.value)) : company;
  },
});
