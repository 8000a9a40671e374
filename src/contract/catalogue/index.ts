import { CONTACTS_OPERATIONS } from "./contacts.js";
import { CONTACT_LIST_OPERATIONS } from "./contact-lists.js";
import { WORKSPACE_OPERATIONS } from "./workspace.js";
import { TAG_OPERATIONS } from "./tags.js";
import { NOTES_OPERATIONS } from "./notes.js";
import { COMPANY_OPERATIONS } from "./companies.js";
import { DATA_ATTRIBUTE_OPERATIONS } from "./data-attributes.js";
import { EVENTS_OPERATIONS } from "./events.js";
import { RAW_OPERATIONS } from "./raw.js";
import { CONVERSATION_OPERATIONS } from "./conversations.js";
import { TICKET_OPERATIONS } from "./tickets.js";
// The catalogue's operations beyond the seed's nine, one file per area (contacts.ts, companies.ts,
// …), each exporting a record of `defineOperation` entries. Adding an area is one file and one
// spread here; OPERATIONS (../operations.ts) takes them all.

/**
 * Every catalogue operation by id, spread into `OPERATIONS`.
 *
 * @example
 * Object.keys(CATALOGUE_OPERATIONS); // the ids the catalogue adds
 */
export const CATALOGUE_OPERATIONS = {
  ...RAW_OPERATIONS,
  ...EVENTS_OPERATIONS,
  ...DATA_ATTRIBUTE_OPERATIONS,
  ...NOTES_OPERATIONS,
  ...WORKSPACE_OPERATIONS,
  ...CONTACT_LIST_OPERATIONS,
  ...TAG_OPERATIONS,
  ...CONTACTS_OPERATIONS,
  ...COMPANY_OPERATIONS,
  ...CONVERSATION_OPERATIONS,
  ...TICKET_OPERATIONS,
} as const;
