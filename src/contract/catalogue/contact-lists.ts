import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { Contact } from "./contacts.js";
import { SearchQueryField, SearchSortField } from "./search-query.js";

// Lists of contacts: Intercom's search in its own grammar, and every user. Both are paged actions
// (the library streams them, HTTP pages them); their items are Intercom's contact objects.

/**
 * Input of `SearchContacts`: Intercom's query (a filter or nested AND/OR groups) and an optional order.
 *
 * @example
 * SearchContactsInput.parse({ query: { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "created_at", operator: ">", value: 1733011200 }] }, sort: { field: "created_at", order: "ascending" } });
 */
export const SearchContactsInput = z.strictObject({
  query: SearchQueryField,
  sort: SearchSortField.optional(),
})
  // A valid input, for tools that start from one (the reliability suite breaks it one field at a time).
  .meta({ examples: [{ query: { field: "email", operator: "=", value: "ada@example.com" } }] });
/** What `SearchContacts` takes. */
export type SearchContactsInput = z.output<typeof SearchContactsInput>;

/**
 * Input of `ListUsers`: nothing.
 *
 * @example
 * ListUsersInput.parse({});
 */
export const ListUsersInput = z.strictObject({});
/** What `ListUsers` takes. */
export type ListUsersInput = z.output<typeof ListUsersInput>;

/**
 * A list of Intercom contacts (what one HTTP page holds a slice of).
 *
 * @example
 * ContactList.parse([]);
 */
export const ContactList = z.array(Contact);
/** Contacts as one array. */
export type ContactList = z.output<typeof ContactList>;

/**
 * The contact-lists area's operations: SearchContacts and ListUsers.
 *
 * @example
 * CONTACT_LIST_OPERATIONS.SearchContacts.input.safeParse({ query: { field: "email", operator: "~", value: "acme" } }).success; // true
 */
export const CONTACT_LIST_OPERATIONS = {
  SearchContacts: defineOperation({
    id: "SearchContacts",
    kind: "action",
    summary: "Search contacts",
    seedName: "",
    description:
      "Returns every user and lead matching an Intercom search query: a filter or AND/OR groups of filters, 2 levels deep and 15 a group at most. Dates match by day.",
    input: SearchContactsInput,
    output: ContactList,
    outputName: "ContactList",
  }),
  ListUsers: defineOperation({
    id: "ListUsers",
    kind: "action",
    summary: "List all users",
    seedName: "",
    description: "Returns every user of your Intercom workspace, oldest first, as Intercom's contact objects.",
    input: ListUsersInput,
    output: ContactList,
    outputName: "ContactList",
  }),
} as const;
