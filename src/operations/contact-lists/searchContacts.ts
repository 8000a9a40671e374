import { MAX_PER_PAGE } from "../../intercom/index.js";
import { definePagedAction } from "../define-paged-action.js";
import { searchContactsPage } from "./search-page.js";

/**
 * `SearchContacts`: every user and lead matching an Intercom search query (a filter or AND/OR
 * groups, checked by the contract before any call), in the given order or Intercom's default, as
 * an async iterable that fetches one page (150) at a time. HTTP pages it: the first page is a POST
 * and its `nextLink` a GET whose cursor carries the query.
 *
 * @example
 * const found = await searchContacts.run(intercom, { query: { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "$", value: "@acme.com" }] } });
 * if (found.ok) for await (const contact of found.value) console.log(contact.email);
 */
export const searchContacts = definePagedAction({
  id: "SearchContacts",
  cursorPrefix: "search",
  maxPageSize: MAX_PER_PAGE,
  fetchPage: (intercom, input, request) => searchContactsPage(intercom, input.query, input.sort, request),
});
