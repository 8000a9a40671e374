import { addNoteToContact } from "./addNoteToContact.js";
import { listNotes } from "./listNotes.js";

/**
 * The notes area's actions by id.
 *
 * @example
 * const note = await NOTES_ACTIONS.AddNoteToContact.run(intercom, { contact_id, body: "Hi" });
 */
export const NOTES_ACTIONS = { AddNoteToContact: addNoteToContact, ListNotes: listNotes } as const;
