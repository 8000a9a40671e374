import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "../errors.js";
import type { NoteRecord } from "../model.js";
import { parsePerPage } from "../pagination.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { requireContact } from "./contacts.js";

// Intercom's own examples send admin ids as numbers; the schema says string.
const noteBody = z.object({
  body: z.string().min(1),
  admin_id: z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String).optional(),
  // The description's examples repeat the path's contact id in the body.
  contact_id: z.union([z.string(), z.number()]).optional(),
});

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * A note body as Intercom stores it: plain text becomes one escaped HTML paragraph ("Hello" →
 * "<p>Hello</p>", as the description's example answers); a body that is already HTML stays.
 *
 * @example
 * noteHtml("Hello"); // "<p>Hello</p>"
 */
export function noteHtml(body: string): string {
  if (/^\s*</.test(body)) return body;
  return `<p>${body.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)}</p>`;
}

/**
 * A note as the 2.14 `note` schema has it: its contact and its author, a full admin.
 *
 * @example
 * reply.send(serializeNote(workspace, note));
 */
export function serializeNote(ws: Workspace, note: NoteRecord): Record<string, unknown> {
  const admin = ws.admins.get(note.author_id);
  return {
    type: "note",
    id: note.id,
    created_at: note.created_at,
    contact: { type: "contact", id: note.contact_id },
    author:
      admin === undefined
        ? null
        : { type: "admin", id: admin.id, name: admin.name, email: admin.email, away_mode_enabled: admin.away_mode_enabled, away_mode_reassign: admin.away_mode_reassign },
    body: note.body,
  };
}

/**
 * The notes of a contact, newest first (as Intercom lists them).
 *
 * @example
 * notesOf(workspace, contact.id).length;
 */
export function notesOf(ws: Workspace, contactId: string): NoteRecord[] {
  return [...ws.notes.values()]
    .filter((n) => n.contact_id === contactId)
    .sort((a, b) => b.created_at - a.created_at || Number(b.id) - Number(a.id));
}

function parsePage(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 1;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new IntercomApiError(400, "parameter_invalid", "page must be a positive integer", { field: "page" });
  return n;
}

type ContactParams = { Params: { contact_id: string } };

/**
 * Registers `POST /contacts/{id}/notes` (the author is `admin_id`, or the token's owner),
 * `GET /contacts/{id}/notes` (paged by `page` and `per_page`, a page past the end empty, which is
 * where the SDK's pager stops) and `GET /notes/{id}`.
 *
 * @example
 * registerNoteRoutes(app);
 */
export function registerNoteRoutes(app: FastifyInstance): void {
  app.post<ContactParams>("/contacts/:contact_id/notes", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const body = parseBody(noteBody, request.body);
    const authorId = body.admin_id ?? ws.ownerAdminId;
    if (!ws.admins.has(authorId)) throw new IntercomApiError(404, "not_found", "Resource Not Found", { field: "admin_id" });
    const note: NoteRecord = { id: ws.ids.numeric("note"), contact_id: contact.id, author_id: authorId, body: noteHtml(body.body), created_at: ws.clock.now() };
    ws.notes.set(note.id, note);
    // A fresh record object: the contact's cached JSON (which lists its notes) is then made anew.
    ws.contacts.set(contact.id, { ...contact });
    return serializeNote(ws, note);
  });

  app.get<ContactParams & { Querystring: { page?: string; per_page?: string } }>("/contacts/:contact_id/notes", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const perPage = parsePerPage(request.query.per_page, "per_page");
    const page = parsePage(request.query.page);
    const notes = notesOf(ws, contact.id);
    return {
      type: "list",
      data: notes.slice((page - 1) * perPage, page * perPage).map((n) => serializeNote(ws, n)),
      total_count: notes.length,
      pages: { type: "pages", next: null, page, per_page: perPage, total_pages: Math.ceil(notes.length / perPage) },
    };
  });

  app.get<{ Params: { note_id: string } }>("/notes/:note_id", async (request) => {
    const ws = request.workspace;
    const note = ws.notes.get(request.params.note_id);
    if (note === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
    return serializeNote(ws, note);
  });
}
