import type { FastifyInstance } from "fastify";
import { errors } from "../errors.js";
import type { ContactRecord } from "../model.js";
import type { Workspace } from "../workspace.js";

type ContactParams = { Params: { contact_id: string } };

/** The contact, or the 404 Intercom's archive reference shows ("Contact Not Found"). */
function requireArchivable(ws: Workspace, id: string): ContactRecord {
  const contact = ws.contacts.get(id);
  if (contact === undefined) throw errors.notFound("Contact Not Found");
  return contact;
}

/**
 * Registers `POST /contacts/{id}/archive` and `/unarchive`. Both are idempotent and answer
 * `contact_archived` / `contact_unarchived`. An archived contact is still found by id (and by
 * external id), and is left out of `GET /contacts`, search and company contact lists until it is
 * unarchived; archiving is not an edit, so `updated_at` stays and no webhook is sent.
 *
 * @example
 * registerContactArchiveRoutes(app);
 */
export function registerContactArchiveRoutes(app: FastifyInstance): void {
  for (const [path, archived] of [["/contacts/:contact_id/archive", true], ["/contacts/:contact_id/unarchive", false]] as const) {
    app.post<ContactParams>(path, async (request) => {
      const ws = request.workspace;
      const contact = requireArchivable(ws, request.params.contact_id);
      ws.setArchived(contact.id, archived);
      return { type: "contact", id: contact.id, external_id: contact.external_id, archived };
    });
  }
}
