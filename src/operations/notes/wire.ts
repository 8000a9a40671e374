import { z } from "zod";
import { Note } from "../../contract/catalogue/notes.js";

// Intercom's answers of the notes area, as the operations read them.

/**
 * `GET /contacts/{id}/notes` (`note_list`): one page by page number.
 *
 * @example
 * NoteListAnswer.parse({ type: "list", data: [], total_count: 0, pages: { type: "pages", page: 1, per_page: 50, total_pages: 0 } });
 */
export const NoteListAnswer = z.object({
  type: z.string(),
  data: z.array(Note),
  total_count: z.number().int().optional(),
  pages: z.object({ page: z.number().int().optional(), total_pages: z.number().int().optional() }).nullable().optional(),
});
