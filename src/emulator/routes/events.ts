import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "../errors.js";
import type { ContactRecord, DataEventRecord, EventSummaryRecord } from "../model.js";
import { decodeCursor, encodeCursor, parsePerPage } from "../pagination.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";

/** Intercom keeps the first 10 metadata keys of an event and ignores the rest. */
export const MAX_METADATA_KEYS = 10;
/** Events older than this (on the workspace clock) are counted in summaries but not listed. */
const LIST_WINDOW_SECONDS = 90 * 86_400;

const unixSeconds = z.number().int().nonnegative();
// The description's metadata types: a string, a number, a date (a number under a key ending in
// `_date`), a link (a string), a rich link {url, value} and a monetary amount {amount, currency}.
// Nested JSON is not supported.
const metadataValue = z.union([
  z.string(),
  z.number(),
  z.strictObject({ url: z.string().min(1), value: z.string() }),
  z.strictObject({ amount: z.number().int().nonnegative(), currency: z.string().min(1) }),
]);
const eventBody = z.strictObject({
  event_name: z.string().min(1).max(255),
  created_at: unixSeconds,
  id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  metadata: z.record(z.string(), metadataValue).optional(),
});
const summaryItem = z.strictObject({ event_name: z.string().min(1), count: z.number().int().positive(), first: unixSeconds, last: unixSeconds });
const summariesBody = z.strictObject({
  user_id: z.string().min(1),
  event_summaries: z.union([summaryItem, z.array(summaryItem).min(1)]),
});

const userNotFound = (): IntercomApiError => new IntercomApiError(404, "not_found", "User Not Found");

/** The contact an event names: Intercom's `id` (a user or a lead), `user_id` (a user's external id) or a user's `email`. */
function eventContact(ws: Workspace, ref: { id?: string | undefined; user_id?: string | undefined; email?: string | undefined }): ContactRecord {
  const id =
    ref.id !== undefined ? ref.id : ref.user_id !== undefined ? ws.contactIdByExternalId(ref.user_id) : ref.email !== undefined ? ws.userIdByEmail(ref.email) : undefined;
  const contact = id === undefined ? undefined : ws.contacts.get(id);
  if (contact === undefined) throw userNotFound();
  return contact;
}

/** The first 10 metadata keys, in the order they were sent. */
function keptMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata ?? {}).slice(0, MAX_METADATA_KEYS));
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("Z", "+00:00");
}

/** Every event name's summary for a contact: its events counted, plus summaries sent in bulk. */
function summaries(ws: Workspace, contactId: string): EventSummaryRecord[] {
  const byName = new Map<string, EventSummaryRecord>();
  const add = (name: string, count: number, first: number, last: number): void => {
    const s = byName.get(name);
    byName.set(name, s === undefined ? { name, count, first, last } : { name, count: s.count + count, first: Math.min(s.first, first), last: Math.max(s.last, last) });
  };
  for (const e of ws.events.get(contactId) ?? []) add(e.event_name, 1, e.created_at, e.created_at);
  for (const s of ws.eventSummaries.get(contactId)?.values() ?? []) add(s.name, s.count, s.first, s.last);
  return [...byName.values()];
}

function identity(contact: ContactRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { intercom_user_id: contact.id };
  if (contact.email !== null) body.email = contact.email;
  if (contact.external_id !== null) body.user_id = contact.external_id;
  return body;
}

function serializeEvent(contact: ContactRecord, e: DataEventRecord): Record<string, unknown> {
  return { type: "event", event_name: e.event_name, created_at: e.created_at, ...identity(contact), metadata: e.metadata };
}

type ListQuery = { type?: string; user_id?: string; intercom_user_id?: string; email?: string; summary?: string; per_page?: string; before?: string };

/** `GET /events`: the contact's events newest first (`event.list`), or their summaries (`event.summary`). */
function listEvents(request: FastifyRequest<{ Querystring: ListQuery }>): Record<string, unknown> {
  const ws = request.workspace;
  const q = request.query;
  if (q.type === undefined) throw new IntercomApiError(400, "parameter_not_found", "type is required", { field: "type" });
  if (q.type !== "user") throw new IntercomApiError(400, "parameter_invalid", "type must be user", { field: "type" });
  if (q.intercom_user_id === undefined && q.user_id === undefined && q.email === undefined) {
    throw new IntercomApiError(400, "parameter_not_found", "user_id, intercom_user_id or email is required", { field: "user_id" });
  }
  if (q.summary !== undefined && q.summary !== "true" && q.summary !== "false") {
    throw new IntercomApiError(400, "parameter_invalid", "summary must be true or false", { field: "summary" });
  }
  const contact = eventContact(ws, { id: q.intercom_user_id, user_id: q.user_id, email: q.email });
  if (q.summary === "true") {
    return {
      type: "event.summary",
      ...identity(contact),
      events: summaries(ws, contact.id).map((s) => ({ name: s.name, first: iso(s.first), last: iso(s.last), count: s.count })),
    };
  }
  const perPage = parsePerPage(q.per_page, "per_page");
  const since = ws.clock.now() - LIST_WINDOW_SECONDS;
  // Newest first; among events of the same second, the later submitted first.
  const all = (ws.events.get(contact.id) ?? []).map((e, seq) => ({ e, seq })).filter(({ e }) => e.created_at >= since).reverse().sort((a, b) => b.e.created_at - a.e.created_at);
  let start = 0;
  if (q.before !== undefined) {
    const cursor = decodeCursor(q.before, "before");
    start = all.findIndex(({ e, seq }) => e.created_at < Number(cursor.v) || (e.created_at === Number(cursor.v) && seq < Number(cursor.id)));
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + perPage);
  const last = page[page.length - 1];
  const pages: Record<string, string> = {};
  if (start + perPage < all.length && last !== undefined) {
    const params = new URLSearchParams({ type: "user", intercom_user_id: contact.id, per_page: String(perPage), before: encodeCursor({ v: last.e.created_at, id: String(last.seq), n: start + page.length }) });
    pages.next = `${request.protocol}://${request.host}/events?${params.toString()}`;
  }
  return { type: "event.list", events: page.map(({ e }) => serializeEvent(contact, e)), pages };
}

/**
 * Registers data events: `POST /events` (202, empty; a repeat of the same contact, name and
 * `created_at` is ignored; metadata beyond 10 keys dropped), `GET /events` and
 * `POST /events/summaries`.
 *
 * @example
 * registerEventRoutes(app);
 */
export function registerEventRoutes(app: FastifyInstance): void {
  app.post("/events", async (request, reply) => {
    const ws = request.workspace;
    const body = parseBody(eventBody, request.body);
    if (body.id === undefined && body.user_id === undefined && body.email === undefined) {
      throw new IntercomApiError(400, "parameter_not_found", "id, user_id or email is required", { field: "user_id" });
    }
    const contact = eventContact(ws, body);
    const list = ws.events.get(contact.id) ?? [];
    if (!list.some((e) => e.event_name === body.event_name && e.created_at === body.created_at)) {
      list.push({ event_name: body.event_name, created_at: body.created_at, contact_id: contact.id, metadata: keptMetadata(body.metadata) });
      ws.events.set(contact.id, list);
    }
    return reply.status(202).send();
  });

  app.get<{ Querystring: ListQuery }>("/events", async (request) => listEvents(request));

  app.post("/events/summaries", async (request, reply) => {
    const ws = request.workspace;
    const body = parseBody(summariesBody, request.body);
    const contact = eventContact(ws, { user_id: body.user_id });
    const items = Array.isArray(body.event_summaries) ? body.event_summaries : [body.event_summaries];
    const bad = items.find((i) => i.first > i.last);
    if (bad !== undefined) throw new IntercomApiError(400, "parameter_invalid", "event_summaries.first must not be after last", { field: "event_summaries.first" });
    const byName = ws.eventSummaries.get(contact.id) ?? new Map<string, EventSummaryRecord>();
    for (const item of items) {
      const s = byName.get(item.event_name);
      byName.set(item.event_name, s === undefined
        ? { name: item.event_name, count: item.count, first: item.first, last: item.last }
        : { name: item.event_name, count: s.count + item.count, first: Math.min(s.first, item.first), last: Math.max(s.last, item.last) });
    }
    ws.eventSummaries.set(contact.id, byName);
    return reply.status(200).send();
  });
}
