import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "../errors.js";
import type { CompanyRecord, ContactRecord, TagRecord } from "../model.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { requireCompanyRef } from "./companies.js";

/** How a tag was applied to a contact (as `ContactRecord.tags` keeps it). */
export type TagApplication = ContactRecord["tags"][number];

const tagName = z.string().trim().min(1).max(255);
// Intercom's own examples send tag ids as numbers; the schema says string.
const tagId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const createOrUpdateBody = z.strictObject({ name: tagName, id: tagId.optional() });
const companyRef = z.strictObject({ id: z.string().min(1).optional(), company_id: z.string().min(1).optional(), untag: z.boolean().optional() });
const tagCompaniesBody = z.strictObject({ name: tagName, companies: z.array(companyRef).min(1).max(100) });
const tagUsersBody = z.strictObject({ name: tagName, users: z.array(z.strictObject({ id: z.string().min(1) })).min(1).max(100) });

/**
 * The tag with this id, or Intercom's 404 (`not_found`, "Resource Not Found").
 *
 * @example
 * const tag = requireTag(workspace, "12");
 */
export function requireTag(workspace: Workspace, id: string): TagRecord {
  const tag = workspace.tags.get(id);
  if (tag === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
  return tag;
}

/**
 * The tag with this name, compared case-insensitively as Intercom does.
 *
 * @example
 * findTagByName(workspace, "VIP");
 */
export function findTagByName(workspace: Workspace, name: string): TagRecord | undefined {
  const key = name.trim().toLowerCase();
  for (const tag of workspace.tags.values()) if (tag.name.toLowerCase() === key) return tag;
  return undefined;
}

/**
 * The tag with this name, created when there is none.
 *
 * @example
 * const vip = findOrCreateTag(workspace, "VIP");
 */
export function findOrCreateTag(workspace: Workspace, name: string): TagRecord {
  const existing = findTagByName(workspace, name);
  if (existing !== undefined) return existing;
  const tag: TagRecord = { id: workspace.ids.numeric("tag"), name: name.trim(), created_at: workspace.clock.now() };
  workspace.tags.set(tag.id, tag);
  return tag;
}

/**
 * A tag as `tag_basic`.
 *
 * @example
 * serializeTag({ id: "1", name: "VIP", created_at: 0 }); // { type: "tag", id: "1", name: "VIP" }
 */
export function serializeTag(tag: TagRecord): Record<string, unknown> {
  return { type: "tag", id: tag.id, name: tag.name };
}

/**
 * A tag with when and by whom it was applied, as tagging answers carry it.
 *
 * @example
 * serializeAppliedTag(tag, { id: tag.id, applied_at: 1700000000, applied_by: "991200" });
 */
export function serializeAppliedTag(tag: TagRecord, applied: TagApplication): Record<string, unknown> {
  return {
    ...serializeTag(tag),
    applied_at: applied.applied_at,
    applied_by: applied.applied_by === null ? null : { type: "admin", id: applied.applied_by },
  };
}

/** Tags or untags companies; every company is checked before any changes. */
function tagCompanies(ws: Workspace, body: z.output<typeof tagCompaniesBody>): TagRecord {
  const targets = body.companies.map((ref) => ({ company: requireCompanyRef(ws, ref), untag: ref.untag === true }));
  const onlyUntag = targets.every((t) => t.untag);
  const tag = onlyUntag ? findTagByName(ws, body.name) : findOrCreateTag(ws, body.name);
  if (tag === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
  const now = ws.clock.now();
  for (const target of targets) {
    // Re-read: the same company may be named twice in one request.
    const company = ws.companies.get(target.company.id) ?? target.company;
    const untag = target.untag;
    const has = company.tag_ids.includes(tag.id);
    if (untag === has) {
      const tagIds = untag ? company.tag_ids.filter((id) => id !== tag.id) : [...company.tag_ids, tag.id];
      ws.saveCompany({ ...company, tag_ids: tagIds, updated_at: now });
    }
  }
  return tag;
}

/** Tags contacts; every contact is checked before any changes. */
function tagUsers(ws: Workspace, body: z.output<typeof tagUsersBody>): TagRecord {
  const contacts = body.users.map((u) => {
    const contact = ws.contacts.get(u.id);
    if (contact === undefined) throw new IntercomApiError(404, "not_found", "User Not Found");
    return contact;
  });
  const tag = findOrCreateTag(ws, body.name);
  for (const contact of contacts) applyTagToContact(ws, contact, tag);
  return tag;
}

/**
 * Tags a contact (through `updateContact`, so `updated_at`, search and webhooks follow); a tag
 * already applied keeps its first application.
 *
 * @example
 * const applied = applyTagToContact(workspace, contact, tag);
 */
export function applyTagToContact(ws: Workspace, contact: ContactRecord, tag: TagRecord): TagApplication {
  // Re-read: the same contact may be named twice in one request.
  const current = ws.contacts.get(contact.id) ?? contact;
  const existing = current.tags.find((t) => t.id === tag.id);
  if (existing !== undefined) return existing;
  const applied: TagApplication = { id: tag.id, applied_at: ws.clock.now(), applied_by: ws.ownerAdminId };
  const tagged = ws.updateContact(current.id, { tags: [...current.tags, applied] });
  // Intercom's `contact_tag` item: the contact and the tag, once per first application.
  ws.emit(tagged.role === "user" ? "contact.user.tag.created" : "contact.lead.tag.created", tagged, { tag: { id: tag.id, name: tag.name } });
  return applied;
}

/** Removes a deleted tag from everything that carries it. */
function detachEverywhere(ws: Workspace, tagId: string): void {
  for (const contact of [...ws.contacts.values()]) {
    if (!contact.tags.some((t) => t.id === tagId)) continue;
    // Deleting a tag is not an edit of the contact: no `contact.*.updated` webhook.
    ws.updateContact(contact.id, { tags: contact.tags.filter((t) => t.id !== tagId) }, { emit: false });
  }
  for (const company of [...ws.companies.values()]) {
    if (company.tag_ids.includes(tagId)) {
      const next: CompanyRecord = { ...company, tag_ids: company.tag_ids.filter((id) => id !== tagId) };
      ws.saveCompany(next);
    }
  }
  for (const conversation of [...ws.conversations.values()]) {
    if (conversation.tag_ids.includes(tagId)) {
      ws.saveConversation({ ...conversation, tag_ids: conversation.tag_ids.filter((id) => id !== tagId) });
    }
  }
}

/**
 * Registers the tag routes: list, create-or-update (and tag companies or users), find, delete.
 *
 * @example
 * registerTagRoutes(app);
 */
export function registerTagRoutes(app: FastifyInstance): void {
  app.get("/tags", async (request) => ({
    type: "list",
    data: [...request.workspace.tags.values()].map(serializeTag),
  }));

  app.post("/tags", async (request) => {
    const ws = request.workspace;
    const raw = request.body;
    const has = (key: string): boolean => typeof raw === "object" && raw !== null && key in raw;
    if (has("companies")) return serializeTag(tagCompanies(ws, parseBody(tagCompaniesBody, raw)));
    if (has("users")) return serializeTag(tagUsers(ws, parseBody(tagUsersBody, raw)));
    // Unknown fields come first: the description answers `{ "test": "invalid" }` so.
    const unknown = typeof raw === "object" && raw !== null ? Object.keys(raw).find((k) => k !== "name" && k !== "id") : undefined;
    if (unknown !== undefined) throw new IntercomApiError(400, "parameter_invalid", "invalid tag parameters", { field: unknown });
    const body = parseBody(createOrUpdateBody, raw);
    if (body.id === undefined) return serializeTag(findOrCreateTag(ws, body.name));
    const tag = requireTag(ws, body.id);
    const clash = findTagByName(ws, body.name);
    if (clash !== undefined && clash.id !== tag.id) {
      throw new IntercomApiError(400, "parameter_invalid", `A tag named ${clash.name} already exists`, { field: "name" });
    }
    const renamed: TagRecord = { ...tag, name: body.name };
    ws.tags.set(tag.id, renamed);
    return serializeTag(renamed);
  });

  app.get<{ Params: { tag_id: string } }>("/tags/:tag_id", async (request) =>
    serializeTag(requireTag(request.workspace, request.params.tag_id)),
  );

  app.delete<{ Params: { tag_id: string } }>("/tags/:tag_id", async (request, reply) => {
    const ws = request.workspace;
    const tag = requireTag(ws, request.params.tag_id);
    detachEverywhere(ws, tag.id);
    ws.tags.delete(tag.id);
    // Intercom answers 200 with no body.
    return reply.status(200).send();
  });
}
