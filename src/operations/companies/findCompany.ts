import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Company } from "../../contract/catalogue/companies.js";
import { defineAction } from "../define-action.js";
import { mapCompany, WireCompanyLookup } from "./wire.js";

/**
 * `FindCompany`: `GET /companies?company_id=` or `GET /companies?name=` (the contract takes
 * exactly one). Intercom answers a list; the company whose company_id (or name) is exactly the
 * one asked for is answered, the first for a name several companies share; none is `not_found`.
 *
 * @example
 * const company = await findCompany.run(intercom, { company_id: "acme" });
 * const byName = await findCompany.run(intercom, { name: "Acme" });
 */
export const findCompany = defineAction({
  id: "FindCompany",
  async execute(intercom, input): Promise<Result<Company, ConnectorError>> {
    const key = input.company_id !== undefined ? { field: "company_id" as const, value: input.company_id } : { field: "name" as const, value: input.name ?? "" };
    const missing = connectorError("not_found", { resource: `company by ${key.field}`, id: key.value }, { field: key.field });
    const found = await intercom.request({
      what: `GET /companies?${key.field}=`,
      answer: WireCompanyLookup,
      notFound: { resource: `company by ${key.field}`, id: key.value },
      send: (sdk, options) => sdk.companies.retrieve(key.field === "company_id" ? { company_id: key.value } : { name: key.value }, options),
    });
    if (!found.ok) return found;
    const candidates = found.value.type === "company" ? [found.value] : found.value.data;
    const match = candidates.find((company) => company[key.field] === key.value);
    return match === undefined ? err(missing) : ok(mapCompany(match));
  },
});
