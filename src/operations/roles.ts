import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";
import type { IntercomContact, IntercomTransport } from "../intercom/index.js";

/**
 * The contact with this id if it has the expected role. An unknown id is `not_found`; a contact
 * of another role is `wrong_role`, which says the role it has.
 *
 * @example
 * const user = await contactWithRole(intercom, "6762f0a51bb69f9f2193bb5c", "user", "user_id");
 */
export async function contactWithRole(
  intercom: IntercomTransport,
  id: string,
  expected: "user" | "lead",
  field: string,
): Promise<Result<IntercomContact, ConnectorError>> {
  const contact = await intercom.getContact(id);
  if (!contact.ok) {
    const e = contact.error;
    return err(e.code === "not_found" ? connectorError("not_found", { resource: expected, id }, { field }) : e);
  }
  if (contact.value.role !== expected) {
    return err(connectorError("wrong_role", { id, actual: contact.value.role, expected }, { field }));
  }
  return ok(contact.value);
}
