import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Company } from "../../contract/catalogue/companies.js";
import { defineAction } from "../define-action.js";
import { mapCompany, WireCompany } from "./wire.js";

/**
 * `GetCompany`: `GET /companies/{id}`, by Intercom's id; an unknown id is `not_found`.
 *
 * @example
 * const company = await getCompany.run(intercom, { id: "6762f0761bb69f9f2193bae2" });
 */
export const getCompany = defineAction({
  id: "GetCompany",
  async execute(intercom, input): Promise<Result<Company, ConnectorError>> {
    const company = await intercom.request({
      what: "GET /companies/{id}",
      answer: WireCompany,
      pathIds: [input.id],
      notFound: { resource: "company", id: input.id },
      send: (sdk, options) => sdk.companies.find({ company_id: input.id }, options),
    });
    return company.ok ? ok(mapCompany(company.value)) : company;
  },
});
