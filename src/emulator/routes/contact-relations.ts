import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "../errors.js";
import type { CompanyRecord } from "../model.js";
import { parsePerPage } from "../pagination.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { companyUserCounts, requireCompany, serializeCompany } from "./companies.js";
import { requireContact } from "./contacts.js";
import { applyTagToContact, requireTag, serializeAppliedTag } from "./tags.js";

/** Intercom refuses more company associations than this on one contact. */
const MAX_COMPANIES_PER_CONTACT = 1000;

// Intercom's own examples send ids as numbers; the schema says string.
const idBody = z.strictObject({ id: z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String) });

type ContactParams = { Params: { contact_id: string } };

function parseIdBody(body: unknown, what: "company" | "tag"): string {
  if (typeof body === "object" && body !== null && !Array.isArray(body) && !("id" in body)) {
    throw new IntercomApiError(400, "parameter_not_found", `${what} not specified`, { field: "id" });
  }
  return parseBody(idBody, body).id;
}

/** Bumps a company's `updated_at` when its contacts change, as Intercom's answers show. */
function touchCompany(ws: Workspace, company: CompanyRecord): CompanyRecord {
  const touched = { ...company, updated_at: ws.clock.now() };
  ws.saveCompany(touched);
  return touched;
}

/**
 * Registers attach, list and detach of companies and tags on a contact. Contact changes go through
 * `updateContact`, so `updated_at`, search and webhooks follow.
 *
 * @example
 * registerContactRelationRoutes(app);
 */
export function registerContactRelationRoutes(app: FastifyInstance): void {
  app.post<ContactParams>("/contacts/:contact_id/companies", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    let company = requireCompany(ws, parseIdBody(request.body, "company"));
    if (!contact.company_ids.includes(company.id)) {
      if (contact.company_ids.length >= MAX_COMPANIES_PER_CONTACT) {
        throw new IntercomApiError(400, "contact_company_limit_exceeded", `Contact has reached the maximum of ${MAX_COMPANIES_PER_CONTACT} company associations`);
      }
      ws.updateContact(contact.id, { company_ids: [...contact.company_ids, company.id] });
      company = touchCompany(ws, company);
    }
    return serializeCompany(ws, company);
  });

  app.get<ContactParams & { Querystring: { page?: string; per_page?: string } }>("/contacts/:contact_id/companies", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const perPage = parsePerPage(request.query.per_page, "per_page");
    const rawPage = request.query.page;
    const page = rawPage === undefined || rawPage === "" ? 1 : /^\d+$/.test(rawPage) ? Number(rawPage) : 0;
    if (!Number.isSafeInteger(page) || page < 1) throw new IntercomApiError(400, "parameter_invalid", "page must be a positive integer", { field: "page" });
    const companies = contact.company_ids.map((id) => ws.companies.get(id)).filter((c): c is CompanyRecord => c !== undefined);
    const totalPages = Math.ceil(companies.length / perPage);
    const counts = companyUserCounts(ws);
    const next =
      page < totalPages ? `${request.protocol}://${request.host}/contacts/${contact.id}/companies?page=${page + 1}&per_page=${perPage}` : null;
    return {
      type: "list",
      companies: companies.slice((page - 1) * perPage, page * perPage).map((c) => serializeCompany(ws, c, counts.get(c.id) ?? 0)),
      total_count: companies.length,
      pages: { type: "pages", page, per_page: perPage, total_pages: totalPages, next },
    };
  });

  app.delete<{ Params: { contact_id: string; company_id: string } }>("/contacts/:contact_id/companies/:company_id", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const company = requireCompany(ws, request.params.company_id);
    if (!contact.company_ids.includes(company.id)) {
      throw new IntercomApiError(404, "company_not_found", "Company Not Found");
    }
    ws.updateContact(contact.id, { company_ids: contact.company_ids.filter((id) => id !== company.id) });
    return serializeCompany(ws, touchCompany(ws, company));
  });

  app.post<ContactParams>("/contacts/:contact_id/tags", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const tag = requireTag(ws, parseIdBody(request.body, "tag"));
    return serializeAppliedTag(tag, applyTagToContact(ws, contact, tag));
  });

  app.get<ContactParams>("/contacts/:contact_id/tags", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    return {
      type: "list",
      data: contact.tags.flatMap((applied) => {
        const tag = ws.tags.get(applied.id);
        return tag === undefined ? [] : [serializeAppliedTag(tag, applied)];
      }),
    };
  });

  app.delete<{ Params: { contact_id: string; tag_id: string } }>("/contacts/:contact_id/tags/:tag_id", async (request) => {
    const ws = request.workspace;
    const contact = requireContact(ws, request.params.contact_id);
    const tag = requireTag(ws, request.params.tag_id);
    const applied = contact.tags.find((t) => t.id === tag.id);
    if (applied === undefined) throw new IntercomApiError(404, "not_found", "Resource Not Found");
    ws.updateContact(contact.id, { tags: contact.tags.filter((t) => t.id !== tag.id) });
    return serializeAppliedTag(tag, applied);
  });
}
