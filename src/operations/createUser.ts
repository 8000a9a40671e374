import { connectorError, err, isConnectorError, ok, type ConnectorError, type Result, type User_Response } from "../contract/index.js";
import type { ContactFields, IntercomContact, IntercomTransport } from "../intercom/index.js";
import { attachCompany, companyToAttach } from "./companies.js";
import { checkCustomAttributes } from "./custom-attributes.js";
import { defineAction } from "./define-action.js";
import { mapUser } from "./mapping.js";

// A user deleted between Intercom's 409 and our update sends us back to create; bounded.
const MAX_ROUNDS = 3;

/**
 * The user with this email, by search (role user AND email). Only used when a 409 does not name
 * the existing contact; search may lag creations by minutes, so it is never the first resort.
 */
async function findUserByEmail(intercom: IntercomTransport, email: string): Promise<Result<IntercomContact | null, ConnectorError>> {
  const page = await intercom.searchContacts(
    { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "=", value: email }] },
    { perPage: 1 },
  );
  return page.ok ? ok(page.value.items[0] ?? null) : page;
}

/**
 * Create-first upsert: a create costs one call for a new email; for an existing one Intercom
 * answers 409 naming the user, which is then updated (two calls). Unlike search-then-create, this
 * cannot duplicate a user when calls race or when search has not yet indexed a new user:
 * Intercom's own uniqueness check on user emails decides.
 */
async function upsertUser(intercom: IntercomTransport, email: string, changes: ContactFields): Promise<Result<IntercomContact, ConnectorError>> {
  const hasChanges = Object.keys(changes).length > 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const created = await intercom.createContact("user", { email, ...changes });
    if (created.ok) return created;
    let existingId: string;
    if (isConnectorError(created.error)) {
      if (created.error.code !== "conflict") return err(created.error);
      const found = await findUserByEmail(intercom, email);
      if (!found.ok) return found;
      if (found.value === null) return err(created.error);
      existingId = found.value.id;
    } else {
      existingId = created.error.contactId;
    }
    // Nothing to change: read it rather than bump its updated_at (which would fire TrigUpdateUser).
    const existing = hasChanges ? await intercom.updateContact(existingId, changes) : await intercom.getContact(existingId);
    if (existing.ok) {
      // The upsert is among users only; never turn a clash with a lead into changing that lead.
      if (existing.value.role === "user") return existing;
      return err(connectorError("conflict", { detail: `A ${existing.value.role} with id=${existingId} holds this email` }, { field: "email" }));
    }
    if (existing.error.code !== "not_found") return existing;
  }
  return err(connectorError("conflict", { detail: `the user with email ${email} was deleted while it was being updated; try again` }, { field: "email" }));
}

/**
 * `CreateUser` (Criar ou atualizar usuário): creates a user, or updates the user with this email.
 * With `companies`, the company is looked up first (unknown: `company_not_found`, nothing
 * written) and attached after the upsert; `custom_attributes` are checked against the
 * workspace's data attributes first (`invalid_custom_attribute`, nothing written) and written by
 * the create or the update.
 *
 * @example
 * const result = await createUser.run(intercom, { email: "ada@example.com", name: "Ada", companies: "acme" });
 * if (result.ok) console.log(result.value.id);
 */
export const createUser = defineAction({
  id: "CreateUser",
  async execute(intercom, input): Promise<Result<User_Response, ConnectorError>> {
    const company = await companyToAttach(intercom, input.companies);
    if (!company.ok) return company;
    const attributes = await checkCustomAttributes(intercom, "contact", input.custom_attributes);
    if (!attributes.ok) return attributes;
    const changes: ContactFields = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.phone === undefined ? {} : { phone: input.phone }),
      ...(input.custom_attributes === undefined ? {} : { custom_attributes: input.custom_attributes }),
    };
    const user = await upsertUser(intercom, input.email, changes);
    if (!user.ok) return user;
    const attached = await attachCompany(intercom, user.value.id, company.value);
    if (!attached.ok) return attached;
    return ok(mapUser(user.value));
  },
});
