import { connectorError, err, isConnectorError, ok, type ConnectorError, type Lead_Response, type Result } from "../contract/index.js";
import type { ContactFields } from "../intercom/index.js";
import { attachCompany, companyToAttach } from "./companies.js";
import { checkCustomAttributes } from "./custom-attributes.js";
import { defineAction } from "./define-action.js";
import { mapLead } from "./mapping.js";

/**
 * `CreateLead` (Criar um novo cliente potencial): creates a lead; `image_url` becomes its avatar.
 * With `companies`, the company is looked up first (unknown: `company_not_found`, nothing
 * created) and attached after the create; `custom_attributes` are checked against the
 * workspace's data attributes first (`invalid_custom_attribute`, nothing created).
 *
 * @example
 * const result = await createLead.run(intercom, { email: "lead@example.com", image_url: "https://example.com/a.png" });
 * if (result.ok) console.log(result.value.avatar.image_url);
 */
export const createLead = defineAction({
  id: "CreateLead",
  async execute(intercom, input): Promise<Result<Lead_Response, ConnectorError>> {
    const company = await companyToAttach(intercom, input.companies);
    if (!company.ok) return company;
    const attributes = await checkCustomAttributes(intercom, "contact", input.custom_attributes);
    if (!attributes.ok) return attributes;
    const fields: ContactFields = {
      email: input.email,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.phone === undefined ? {} : { phone: input.phone }),
      ...(input.image_url === undefined ? {} : { avatar: input.image_url }),
      ...(input.custom_attributes === undefined ? {} : { custom_attributes: input.custom_attributes }),
    };
    const created = await intercom.createContact("lead", fields);
    if (!created.ok) {
      // Leads share emails freely; a clash can only come from another identity rule of Intercom.
      if (isConnectorError(created.error)) return err(created.error);
      return err(connectorError("conflict", { detail: `A contact matching those details already exists with id=${created.error.contactId}` }));
    }
    const attached = await attachCompany(intercom, created.value.id, company.value);
    if (!attached.ok) return attached;
    return ok(mapLead(created.value));
  },
});
