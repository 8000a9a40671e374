import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { checkCustomAttributes } from "../attributes/custom.js";
import { errors, IntercomApiError } from "../errors.js";
import type { CompanyRecord, ContactRecord } from "../model.js";
import { parsePerPage } from "../pagination.js";
import { serializeContact } from "../serialize.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";

const INT32_MAX = 2 ** 31 - 1;
const companyFields = {
  name: z.string().max(255),
  plan: z.string().max(255),
  size: z.number().int().nonnegative().max(INT32_MAX),
  website: z.string().max(255),
  industry: z.string().max(255),
  // Typed by the workspace's company data attributes (checkCustomAttributes), not by the
  // description, which says strings while its own examples send booleans and numbers.
  custom_attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  remote_created_at: z.number().int().nonnegative(),
  // Intercom truncates floats to whole numbers and caps the value at 2**31-1.
  monthly_spend: z.number().min(-INT32_MAX).max(INT32_MAX).transform(Math.trunc),
};
const createOrUpdateBody = z.strictObject({ company_id: z.string().min(1).max(255), ...companyFields }).partial();
const updateBody = z.strictObject(companyFields).partial();
type CompanyChange = z.output<typeof updateBody>;

/** Intercom's default page size for company lists. */
const COMPANY_PER_PAGE = 15;

/**
 * The company with this Intercom id, or Intercom's 404 `company_not_found`.
 *
 * @example
 * const company = requireCompany(workspace, "6762f0761bb69f9f2193bae2");
 */
export function requireCompany(workspace: Workspace, id: string): CompanyRecord {
  const company = workspace.companies.get(id);
  if (company === undefined) throw new IntercomApiError(404, "company_not_found", "Company Not Found");
  return company;
}

/**
 * The company a `{ id }` (Intercom's) or `{ company_id }` (the customer's) reference names.
 *
 * @example
 * requireCompanyRef(workspace, { company_id: "acme" });
 */
export function requireCompanyRef(workspace: Workspace, ref: { id?: string | undefined; company_id?: string | undefined }): CompanyRecord {
  if (ref.id !== undefined) return requireCompany(workspace, ref.id);
  if (ref.company_id !== undefined) {
    const company = workspace.companyByExternalId(ref.company_id);
    if (company === undefined) throw new IntercomApiError(404, "company_not_found", "Company Not Found");
    return company;
  }
  throw new IntercomApiError(400, "parameter_not_found", "company id or company_id is required", { field: "companies" });
}

/**
 * How many contacts each company has attached, by Intercom company id.
 *
 * @example
 * companyUserCounts(workspace).get(company.id) ?? 0;
 */
export function companyUserCounts(workspace: Workspace): Map<string, number> {
  const counts = new Map<string, number>();
  for (const contact of workspace.contacts.values()) {
    for (const id of contact.company_ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The contacts attached to a company, in list order. */
function attachedContacts(workspace: Workspace, companyId: string): ContactRecord[] {
  return workspace
    .contactListOrder()
    .map((id) => workspace.contacts.get(id))
    .filter((c): c is ContactRecord => c !== undefined && c.company_ids.includes(companyId));
}

/**
 * A company as the 2.14 `company` schema has it. Unset optional fields are left out (the schema
 * does not allow null for them); `user_count` is computed unless the caller has the counts.
 *
 * @example
 * reply.send(serializeCompany(workspace, company));
 */
export function serializeCompany(workspace: Workspace, c: CompanyRecord, userCount?: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: "company",
    company_id: c.company_id,
    id: c.id,
    app_id: workspace.id,
    name: c.name,
    created_at: c.created_at,
    updated_at: c.updated_at,
    monthly_spend: c.monthly_spend,
    session_count: c.session_count,
    user_count: userCount ?? attachedContacts(workspace, c.id).length,
    tags: {
      type: "tag.list",
      tags: c.tag_ids.flatMap((id) => {
        const tag = workspace.tags.get(id);
        return tag === undefined ? [] : [{ type: "tag", id: tag.id, name: tag.name }];
      }),
    },
    segments: { type: "segment.list", segments: [] },
    plan: c.plan === null ? {} : { type: "plan", name: c.plan },
    custom_attributes: c.custom_attributes,
  };
  if (c.remote_created_at !== null) body.remote_created_at = c.remote_created_at;
  if (c.last_request_at !== null) body.last_request_at = c.last_request_at;
  if (c.size !== null) body.size = c.size;
  if (c.website !== null) body.website = c.website;
  if (c.industry !== null) body.industry = c.industry;
  return body;
}

/** A company with a change applied (custom attributes merge, `company_id` never changes). */
function applyChange(ws: Workspace, company: CompanyRecord, change: CompanyChange): CompanyRecord {
  const next: CompanyRecord = { ...company, updated_at: ws.clock.now() };
  if (change.name !== undefined) next.name = change.name;
  if (change.plan !== undefined) next.plan = change.plan;
  if (change.size !== undefined) next.size = change.size;
  if (change.website !== undefined) next.website = change.website;
  if (change.industry !== undefined) next.industry = change.industry;
  if (change.remote_created_at !== undefined) next.remote_created_at = change.remote_created_at;
  if (change.monthly_spend !== undefined) next.monthly_spend = change.monthly_spend;
  if (change.custom_attributes !== undefined) next.custom_attributes = { ...company.custom_attributes, ...change.custom_attributes };
  return next;
}

function parsePage(raw: unknown): number {
  if (raw === undefined || raw === "") return 1;
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw errors.badRequest("page must be a positive integer", "page");
  return n;
}

/**
 * One page of companies as `company_list`: pages are numbered (`page`, `per_page`), the way
 * the official SDK's pager walks them until a page comes back empty.
 */
function companyPage(ws: Workspace, companies: CompanyRecord[], query: { page?: string; per_page?: string }, counts: Map<string, number>): Record<string, unknown> {
  const perPage = query.per_page === undefined ? COMPANY_PER_PAGE : parsePerPage(query.per_page, "per_page");
  const page = parsePage(query.page);
  const slice = companies.slice((page - 1) * perPage, page * perPage);
  return {
    type: "list",
    data: slice.map((c) => serializeCompany(ws, c, counts.get(c.id) ?? 0)),
    pages: { type: "pages", page, per_page: perPage, total_pages: Math.ceil(companies.length / perPage) },
    total_count: companies.length,
  };
}

/**
 * The companies list endpoints show: only companies with at least one contact (as the
 * description says), most recently requested first unless `order=asc`.
 */
function listedCompanies(ws: Workspace, counts: Map<string, number>, order: unknown, filter: (c: CompanyRecord) => boolean): CompanyRecord[] {
  if (order !== undefined && order !== "asc" && order !== "desc") throw errors.badRequest("order must be asc or desc", "order");
  const sign = order === "asc" ? 1 : -1;
  return [...ws.companies.values()]
    .filter((c) => (counts.get(c.id) ?? 0) > 0 && filter(c))
    .sort((a, b) => sign * ((a.last_request_at ?? 0) - (b.last_request_at ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

type ListQuery = { page?: string; per_page?: string; order?: string };
type RetrieveQuery = ListQuery & { company_id?: string; name?: string; tag_id?: string; segment_id?: string };

function retrieve(request: FastifyRequest<{ Querystring: RetrieveQuery }>): Record<string, unknown> {
  const ws = request.workspace;
  const q = request.query;
  const counts = companyUserCounts(ws);
  if (q.company_id !== undefined || q.name !== undefined) {
    // A lookup finds a company whether or not it has contacts yet.
    const found =
      q.company_id !== undefined
        ? [ws.companyByExternalId(q.company_id)].filter((c): c is CompanyRecord => c !== undefined && (q.name === undefined || c.name === q.name))
        : [...ws.companies.values()].filter((c) => c.name === q.name);
    if (found.length === 0) throw new IntercomApiError(404, "company_not_found", "Company Not Found");
    return companyPage(ws, found, q, counts);
  }
  // No company belongs to a segment: segments are not emulated.
  const filter = q.segment_id !== undefined ? () => false : q.tag_id !== undefined ? (c: CompanyRecord) => c.tag_ids.includes(q.tag_id ?? "") : () => true;
  return companyPage(ws, listedCompanies(ws, counts, q.order, filter), q, counts);
}

/**
 * Registers the company routes: create-or-update, retrieve by id or by `company_id`/`name`,
 * list, update, delete, and the contacts of a company.
 *
 * @example
 * registerCompanyRoutes(app);
 */
export function registerCompanyRoutes(app: FastifyInstance): void {
  app.post("/companies", async (request) => {
    const ws = request.workspace;
    const body = parseBody(createOrUpdateBody, request.body);
    const { company_id: companyId, ...change } = body;
    if (companyId === undefined) throw errors.missing("company_id");
    checkCustomAttributes(ws, "company", change.custom_attributes);
    const existing = ws.companyByExternalId(companyId);
    if (existing !== undefined) {
      const updated = applyChange(ws, existing, change);
      ws.saveCompany(updated);
      return serializeCompany(ws, updated);
    }
    const now = ws.clock.now();
    const blank: CompanyRecord = {
      id: ws.ids.hex(now),
      company_id: companyId,
      name: "",
      plan: null,
      remote_created_at: null,
      created_at: now,
      updated_at: now,
      last_request_at: null,
      size: null,
      website: null,
      industry: null,
      monthly_spend: 0,
      session_count: 0,
      custom_attributes: {},
      tag_ids: [],
    };
    const created = applyChange(ws, blank, change);
    ws.saveCompany(created);
    return serializeCompany(ws, created, 0);
  });

  app.get<{ Querystring: RetrieveQuery }>("/companies", async (request) => retrieve(request));

  app.post<{ Querystring: ListQuery }>("/companies/list", async (request) => {
    const ws = request.workspace;
    const counts = companyUserCounts(ws);
    return companyPage(ws, listedCompanies(ws, counts, request.query.order, () => true), request.query, counts);
  });

  app.get<{ Params: { company_id: string } }>("/companies/:company_id", async (request) => {
    const ws = request.workspace;
    return serializeCompany(ws, requireCompany(ws, request.params.company_id));
  });

  app.put<{ Params: { company_id: string } }>("/companies/:company_id", async (request) => {
    const ws = request.workspace;
    const company = requireCompany(ws, request.params.company_id);
    const change = parseBody(updateBody, request.body);
    checkCustomAttributes(ws, "company", change.custom_attributes);
    const updated = applyChange(ws, company, change);
    ws.saveCompany(updated);
    return serializeCompany(ws, updated);
  });

  app.delete<{ Params: { company_id: string } }>("/companies/:company_id", async (request) => {
    const ws = request.workspace;
    const company = requireCompany(ws, request.params.company_id);
    // Intercom archives the company and detaches its contacts; the contacts stay.
    for (const contact of attachedContacts(ws, company.id)) {
      ws.updateContact(contact.id, { company_ids: contact.company_ids.filter((id) => id !== company.id) });
    }
    ws.companies.delete(company.id);
    return { id: company.id, object: "company", deleted: true };
  });

  app.get<{ Params: { company_id: string }; Querystring: { page?: string; per_page?: string } }>("/companies/:company_id/contacts", async (request) => {
    const ws = request.workspace;
    const company = requireCompany(ws, request.params.company_id);
    const perPage = parsePerPage(request.query.per_page, "per_page");
    const page = parsePage(request.query.page);
    const contacts = attachedContacts(ws, company.id);
    return {
      type: "list",
      data: contacts.slice((page - 1) * perPage, page * perPage).map((c) => serializeContact(ws, c)),
      total_count: contacts.length,
      pages: { type: "pages", page, per_page: perPage, total_pages: Math.ceil(contacts.length / perPage) },
    };
  });
}
