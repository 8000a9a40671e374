import { listUsers } from "./listUsers.js";
import { searchContacts } from "./searchContacts.js";

export { searchContacts } from "./searchContacts.js";
export { listUsers } from "./listUsers.js";

/**
 * The contact-lists area's actions by id (SearchContacts, ListUsers), spread into `ACTIONS`.
 *
 * @example
 * const found = await CONTACT_LIST_ACTIONS.SearchContacts.run(intercom, { query: { field: "email", operator: "~", value: "acme" } });
 */
export const CONTACT_LIST_ACTIONS = { SearchContacts: searchContacts, ListUsers: listUsers } as const;
