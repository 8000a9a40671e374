import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { checkCustomAttributes } from "../attributes/custom.js";
import { errors, IntercomApiError } from "../errors.js";
import type { ContactRecord } from "../model.js";
import { cursorPages, decodeCursor, encodeCursor, parsePerPage } from "../pagination.js";
import { contactJson, contactListJson, JSON_TYPE, serializeContact } from "../serialize.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";

const unixSeconds = z.number().int().nonnegative();
const contactFields = {
  role: z.enum(["user", "lead"]),
  external_id: z.string().min(1).max(255),
  email: z.string().max(255),
  phone: z.string().max(255).nullable(),
  name: z.string().max(255).nullable(),
  avatar: z.string().url().nullable(),
  signed_up_at: unixSeconds.nullable(),
  last_seen_at: unixSeconds.nullable(),
  owner_id: z.number().int().nullable(),
  unsubscribed_from_emails: z.boolean().nullable(),
  custom_attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
};
const contactBody = z.strictObject(contactFields).partial();
type ContactBody = z.output<typeof contactBody>;
const mergeBody = z.strictObject({ from: z.string().min(1), into: z.string().min(1) });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkEmail(email: string | undefined): void {
  if (email !== undefined && email !== "" && !EMAIL.test(email)) {
    throw new IntercomApiError(400, "parameter_invalid", "email is not a valid email address", { field: "email" });
  }
}

/** The record fields a create or update body sets. */
function recordChange(body: ContactBody): Partial<ContactRecord> {
  const change: Partial<ContactRecord> = {};
  if (body.role !== undefined) change.role = body.role;
  if (body.external_id !== undefined) change.external_id = body.external_id;
  if (body.email !== undefined) change.email = body.email === "" ? null : body.email;
  if (body.phone !== undefined) change.phone = body.phone;
  if (body.name !== undefined) change.name = body.name;
  if (body.avatar !== undefined) change.avatar = body.avatar;
  if (body.signed_up_at !== undefined) change.signed_up_at = body.signed_up_at;
  if (body.last_seen_at !== undefined) change.last_seen_at = body.last_seen_at;
  if (body.owner_id !== undefined) change.owner_id = body.owner_id;
  if (body.unsubscribed_from_emails !== undefined && body.unsubscribed_from_emails !== null) {
    change.unsubscribed_from_emails = body.unsubscribed_from_emails;
  }
  return change;
}

function clashError(existingId: string): IntercomApiError {
  return errors.conflict(`A contact matching those details already exists with id=${existingId}`);
}

/** The contact with this id, or Intercom's 404. */
export function requireContact(workspace: Workspace, id: string): ContactRecord {
  const contact = workspace.contacts.get(id);
  if (contact === undefined) throw errors.notFound("User Not Found");
  return contact;
}


/**
 * Registers the contact routes of API 2.14: create, retrieve, update, delete, list,
 * find by external id, merge.
 *
 * @example
 * registerContactRoutes(app);
 */
export function registerContactRoutes(app: FastifyInstance): void {
  app.post("/contacts", async (request) => {
    const ws = request.workspace;
    const body = parseBody(contactBody, request.body);
    if (body.email === undefined && body.external_id === undefined && body.role === undefined) {
      throw new IntercomApiError(400, "parameter_not_found", "email, external_id or role is required", { field: "email" });
    }
    checkEmail(body.email);
    checkCustomAttributes(ws, "contact", body.custom_attributes);
    const role = body.role ?? "user";
    const change = recordChange(body);
    const clash = ws.findClash({ role, email: change.email ?? null, external_id: change.external_id ?? null });
    if (clash !== undefined) throw clashError(clash);
    const contact = ws.insertContact({
      ...change,
      role,
      custom_attributes: body.custom_attributes ?? {},
    });
    return serializeContact(ws, contact);
  });

  app.get<{ Params: { contact_id: string } }>("/contacts/:contact_id", async (request, reply) => {
    const ws = request.workspace;
    return reply.type(JSON_TYPE).send(contactJson(ws, requireContact(ws, request.params.contact_id)));
  });

  app.put<{ Params: { contact_id: string } }>("/contacts/:contact_id", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const body = parseBody(contactBody, request.body);
    checkEmail(body.email);
    checkCustomAttributes(ws, "contact", body.custom_attributes);
    const change = recordChange(body);
    const merged = { role: change.role ?? contact.role, email: change.email !== undefined ? change.email : contact.email, external_id: change.external_id !== undefined ? change.external_id : contact.external_id };
    const clash = ws.findClash(merged, contact.id);
    if (clash !== undefined) throw clashError(clash);
    if (body.custom_attributes !== undefined && body.custom_attributes !== null) {
      change.custom_attributes = { ...contact.custom_attributes, ...body.custom_attributes };
    }
    return serializeContact(ws, ws.updateContact(contact.id, change));
  });

  app.delete<{ Params: { contact_id: string } }>("/contacts/:contact_id", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    ws.deleteContact(contact.id);
    return { type: "contact", id: contact.id, external_id: contact.external_id, deleted: true };
  });

  app.get<{ Querystring: { per_page?: string; starting_after?: string } }>("/contacts", async (request, reply) => {
    const ws = request.workspace;
    const perPage = parsePerPage(request.query.per_page, "per_page");
    const order = ws.contactListOrder();
    let start = 0;
    let served = 0;
    if (request.query.starting_after !== undefined) {
      const cursor = decodeCursor(request.query.starting_after, "starting_after");
      start = firstAfter(ws, order, cursor.v, cursor.id);
      served = cursor.n;
    }
    const page = order.slice(start, start + perPage).map((id) => ws.contacts.get(id)).filter((c): c is ContactRecord => c !== undefined);
    const last = page[page.length - 1];
    const more = start + perPage < order.length;
    const next = more && last !== undefined ? encodeCursor({ v: last.created_at, id: last.id, n: served + page.length }) : null;
    return reply.type(JSON_TYPE).send(contactListJson(ws, page, order.length, cursorPages({ served, perPage, total: order.length, nextCursor: next })));
  });

  app.get<{ Params: { external_id: string } }>("/contacts/find_by_external_id/:external_id", async (request) => {
    const ws = request.workspace;
    const id = ws.contactIdByExternalId(request.params.external_id);
    const contact = id === undefined ? undefined : ws.contacts.get(id);
    if (contact === undefined) throw errors.notFound("User Not Found");
    return serializeContact(ws, contact);
  });

  app.post("/contacts/merge", async (request) => {
    const ws = request.workspace;
    const body = parseBody(mergeBody, request.body);
    const from = ws.contacts.get(body.from);
    if (from === undefined) throw new IntercomApiError(404, "not_found", "User Not Found", { field: "from" });
    const into = ws.contacts.get(body.into);
    if (into === undefined) throw new IntercomApiError(404, "not_found", "User Not Found", { field: "into" });
    if (from.role !== "lead") throw new IntercomApiError(400, "parameter_invalid", "from must be a lead", { field: "from" });
    if (into.role !== "user") throw new IntercomApiError(400, "parameter_invalid", "into must be a user", { field: "into" });
    ws.deleteContact(from.id);
    // The user keeps its own values and gains what only the lead had.
    const companyIds = [...into.company_ids, ...from.company_ids.filter((id) => !into.company_ids.includes(id))];
    const tags = [...into.tags, ...from.tags.filter((t) => !into.tags.some((u) => u.id === t.id))];
    const merged = ws.updateContact(into.id, {
      name: into.name ?? from.name,
      phone: into.phone ?? from.phone,
      avatar: into.avatar ?? from.avatar,
      company_ids: companyIds,
      tags,
      custom_attributes: { ...from.custom_attributes, ...into.custom_attributes },
    });
    // The surviving user, naming the lead it absorbed (Intercom's `merged_from`).
    ws.emit("contact.merged", merged, { mergedFromId: from.id });
    return serializeContact(ws, merged);
  });
}

/** Index of the first contact strictly after (v, id) in list order, even if that one is gone. */
function firstAfter(ws: Workspace, order: readonly string[], v: unknown, id: string): number {
  const createdAt = typeof v === "number" ? v : Number.NEGATIVE_INFINITY;
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = ws.contacts.get(order[mid] ?? "");
    const after = c === undefined ? false : c.created_at > createdAt || (c.created_at === createdAt && c.id > id);
    if (after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
