import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";
import type { IntercomCompany, IntercomTransport } from "../intercom/index.js";

/**
 * The company a `companies` input names, looked up before anything is written so an unknown id
 * changes nothing. No input, no company (and no call).
 *
 * @example
 * const company = await companyToAttach(intercom, input.companies);
 * if (!company.ok) return company; // company_not_found, nothing created
 */
export async function companyToAttach(intercom: IntercomTransport, companyId: string | undefined): Promise<Result<IntercomCompany | null, ConnectorError>> {
  if (companyId === undefined) return ok(null);
  const found = await intercom.findCompanyByCompanyId(companyId);
  if (!found.ok) return found;
  if (found.value === null) return err(connectorError("company_not_found", { company_id: companyId }, { field: "companies" }));
  return ok(found.value);
}

/**
 * Attaches a company found by {@link companyToAttach} to a contact (nothing to do for null).
 *
 * @example
 * const attached = await attachCompany(intercom, contact.id, company.value);
 */
export async function attachCompany(intercom: IntercomTransport, contactId: string, company: IntercomCompany | null): Promise<Result<void, ConnectorError>> {
  if (company === null) return ok(undefined);
  const attached = await intercom.attachCompanyToContact(contactId, company.id);
  return attached.ok ? ok(undefined) : attached;
}
