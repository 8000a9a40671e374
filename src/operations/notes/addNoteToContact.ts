import { IntercomError } from "intercom-client";
import { z } from "zod";
import { Note } from "../../contract/catalogue/notes.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { errorListOf } from "../../intercom/index.js";
import { defineAction } from "../define-action.js";

/** What the call answers when Intercom's 404 is about the admin, not the contact. */
const ADMIN_MISSING = Symbol("admin not found");
const NoteOrAdminMissing = z.union([Note, z.custom<typeof ADMIN_MISSING>((value) => value === ADMIN_MISSING)]);

/**
 * `AddNoteToContact`: `POST /contacts/{id}/notes`. Intercom answers 404 for an unknown contact
 * ("User Not Found") and for an unknown `admin_id` ("Resource Not Found"); each is `not_found`
 * naming its own resource. Not safe to retry blindly: each call adds a note.
 *
 * @example
 * const note = await addNoteToContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", body: "Called, wants a demo" });
 * if (note.ok) console.log(note.value.id, note.value.body); // "17" "<p>Called, wants a demo</p>"
 */
export const addNoteToContact = defineAction({
  id: "AddNoteToContact",
  async execute(intercom, input): Promise<Result<Note, ConnectorError>> {
    const { contact_id, body, admin_id } = input;
    const answer = await intercom.request({
      what: "POST /contacts/{id}/notes",
      answer: NoteOrAdminMissing,
      pathIds: [contact_id],
      notFound: { resource: "contact", id: contact_id },
      async send(sdk, options) {
        try {
          return await sdk.notes.create({ contact_id, body, ...(admin_id === undefined ? {} : { admin_id }) }, options);
        } catch (error) {
          // Intercom's 404 names no field: its message tells the contact's from the admin's.
          if (admin_id !== undefined && error instanceof IntercomError && error.statusCode === 404 && !/user|contact/i.test(errorListOf(error.body).first?.message ?? "")) return ADMIN_MISSING;
          throw error;
        }
      },
    });
    if (!answer.ok) return answer;
    if (answer.value === ADMIN_MISSING) return err(connectorError("not_found", { resource: "admin", id: admin_id ?? "" }, { field: "admin_id" }));
    return ok(answer.value);
  },
});
