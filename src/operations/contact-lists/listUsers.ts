import type { SearchContactsQuery } from "../../contract/catalogue/search-query.js";
import { MAX_PER_PAGE } from "../../intercom/index.js";
import { definePagedAction } from "../define-paged-action.js";
import { searchContactsPage, type SearchSort } from "./search-page.js";

const USERS: SearchContactsQuery = { field: "role", operator: "=", value: "user" };
// Oldest first: a stable order for a cursor walk.
const USERS_ORDER: SearchSort = { field: "created_at", order: "ascending" };

/**
 * `ListUsers`: every user of the workspace (Intercom's contact objects) as an async iterable,
 * oldest first, one search page (150) at a time. Users created in the last minutes may be missing:
 * Intercom's search lags creations.
 *
 * @example
 * const users = await listUsers.run(intercom, {});
 * if (users.ok) for await (const user of users.value) console.log(user.email);
 */
export const listUsers = definePagedAction({
  id: "ListUsers",
  cursorPrefix: "users",
  maxPageSize: MAX_PER_PAGE,
  fetchPage: (intercom, _input, request) => searchContactsPage(intercom, USERS, USERS_ORDER, request),
});
