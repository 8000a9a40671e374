import { CONTACTS_ACTIONS } from "./contacts/index.js";
import { CONTACT_LIST_ACTIONS } from "./contact-lists/index.js";
import { WORKSPACE_ACTIONS } from "./workspace/index.js";
import { TAG_ACTIONS } from "./tags/index.js";
import { NOTES_ACTIONS } from "./notes/index.js";
import { COMPANY_ACTIONS } from "./companies/index.js";
import { DATA_ATTRIBUTE_ACTIONS } from "./data-attributes/index.js";
import { EVENTS_ACTIONS } from "./events/index.js";
import { RAW_ACTIONS } from "./raw/index.js";
import { CONVERSATION_ACTIONS } from "./conversations/index.js";
import { TICKET_ACTIONS } from "./tickets/index.js";
// The catalogue's actions beyond the seed's five, one folder per area (contacts/, companies/, …),
// each exporting a record of its actions by id. Adding an area is its folder and one spread here;
// ACTIONS (./actions.ts) takes them all, and every face serves them from there.

/**
 * Every catalogue action by id, spread into `ACTIONS`.
 *
 * @example
 * Object.keys(CATALOGUE_ACTIONS); // the ids the catalogue adds
 */
export const CATALOGUE_ACTIONS = {
  ...RAW_ACTIONS,
  ...EVENTS_ACTIONS,
  ...DATA_ATTRIBUTE_ACTIONS,
  ...NOTES_ACTIONS,
  ...WORKSPACE_ACTIONS,
  ...CONTACT_LIST_ACTIONS,
  ...TAG_ACTIONS,
  ...CONTACTS_ACTIONS,
  ...COMPANY_ACTIONS,
  ...CONVERSATION_ACTIONS,
  ...TICKET_ACTIONS,
} as const;
