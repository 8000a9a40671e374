import type { Contact } from "../../contract/catalogue/contacts.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { MAX_PER_PAGE, type IntercomContact, type SearchQuery } from "../../intercom/index.js";
import { defineAction } from "../define-action.js";
import { ContactAnswer } from "./answers.js";

const OLDEST_FIRST = { field: "created_at", order: "ascending" } as const;

/** The contact a match list stands for: a user before any lead, then the oldest (then the lowest id). */
function pick(matches: readonly IntercomContact[]): IntercomContact | undefined {
  const rank = (c: IntercomContact): number => (c.role === "user" ? 0 : 1);
  return [...matches].sort((a, b) => rank(a) - rank(b) || a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

/**
 * `FindContactByEmail`: the user or lead with this exact email, through `POST /contacts/search`
 * (`email = …`, oldest first, 150 a page); never creates one. Several matches: a user before
 * leads, then the oldest. One call, or two when the first page holds only leads and more follow
 * (then one search for the oldest user with that email). None is `not_found` on `email`. Search
 * lags writes by Intercom's indexing delay: a contact created a moment ago may not be found yet.
 *
 * @example
 * const result = await findContactByEmail.run(intercom, { email: "ada@example.com" });
 * if (result.ok) console.log(result.value.role); // "user" or "lead"
 */
export const findContactByEmail = defineAction({
  id: "FindContactByEmail",
  async execute(intercom, input): Promise<Result<Contact, ConnectorError>> {
    const byEmail: SearchQuery = { field: "email", operator: "=", value: input.email };
    const page = await intercom.searchContacts(byEmail, { perPage: MAX_PER_PAGE, sort: OLDEST_FIRST });
    if (!page.ok) return page;
    let found = pick(page.value.items);
    if (found !== undefined && found.role !== "user" && page.value.nextStartingAfter !== null) {
      const users = await intercom.searchContacts({ operator: "AND", value: [byEmail, { field: "role", operator: "=", value: "user" }] }, { perPage: 1, sort: OLDEST_FIRST });
      if (!users.ok) return users;
      found = pick(users.value.items) ?? found;
    }
    if (found === undefined) return err(connectorError("not_found", { resource: "contact", id: input.email }, { field: "email" }));
    const contact = ContactAnswer.safeParse(found);
    return contact.success
      ? ok(contact.data)
      : err(connectorError("intercom_error", { detail: `POST /contacts/search answered an unexpected ${contact.error.issues[0]?.path.map(String).join(".") ?? "body"}` }));
  },
});
