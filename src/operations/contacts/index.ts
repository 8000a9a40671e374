import { archiveContact } from "./archiveContact.js";
import { convertLead } from "./convertLead.js";
import { deleteContact } from "./deleteContact.js";
import { findContactByEmail } from "./findContactByEmail.js";
import { findContactByExternalId } from "./findContactByExternalId.js";
import { unarchiveContact } from "./unarchiveContact.js";
import { updateContact } from "./updateContact.js";

/**
 * The contacts actions of the catalogue (part A), by id, spread into `ACTIONS`.
 *
 * @example
 * const result = await CONTACTS_ACTIONS.FindContactByEmail.run(intercom, { email: "ada@example.com" });
 */
export const CONTACTS_ACTIONS = {
  UpdateContact: updateContact,
  DeleteContact: deleteContact,
  ArchiveContact: archiveContact,
  UnarchiveContact: unarchiveContact,
  FindContactByExternalId: findContactByExternalId,
  FindContactByEmail: findContactByEmail,
  ConvertLead: convertLead,
} as const;
