import type { Note } from "../../contract/catalogue/notes.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { MAX_PER_PAGE } from "../../intercom/index.js";
import { definePagedAction, type FetchedPage } from "../define-paged-action.js";
import { NoteListAnswer } from "./wire.js";

/**
 * `ListNotes`: every note on a contact, newest first, one `GET /contacts/{id}/notes` page (by page
 * number, up to 150 notes) at a time. Intercom pages by number, so a note added mid-walk shifts
 * the rest by one: the walk may show a note twice, never skip one.
 *
 * @example
 * const notes = await listNotes.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" });
 * if (notes.ok) for await (const note of notes.value) console.log(note.body);
 */
export const listNotes = definePagedAction({
  id: "ListNotes",
  cursorPrefix: "notes",
  maxPageSize: MAX_PER_PAGE,
  async fetchPage(intercom, input, { after, pageSize }): Promise<Result<FetchedPage<Note>, ConnectorError>> {
    // A page number the connector wrote; anything else is a forged cursor, refused before any call.
    if (after !== undefined && !/^[1-9][0-9]{0,8}$/.test(after)) {
      return err(connectorError("invalid_input", { field: "cursor", reason: "is not a valid cursor of this list" }, { field: "cursor" }));
    }
    const page = after === undefined ? 1 : Number(after);
    const list = await intercom.request({
      what: "GET /contacts/{id}/notes",
      answer: NoteListAnswer,
      pathIds: [input.contact_id],
      notFound: { resource: "contact", id: input.contact_id },
      send: async (sdk, options) => (await sdk.notes.list({ contact_id: input.contact_id, page, per_page: pageSize }, options)).response,
    });
    if (!list.ok) return list;
    const totalPages = list.value.pages?.total_pages ?? page;
    const more = list.value.data.length > 0 && page < totalPages;
    return ok({ items: list.value.data, nextAfter: more ? String(page + 1) : null });
  },
});
