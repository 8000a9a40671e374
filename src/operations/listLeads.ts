import { ok, type ConnectorError, type Lead_Response, type Result } from "../contract/index.js";
import { MAX_PER_PAGE, type IntercomTransport, type SearchOptions, type SearchQuery } from "../intercom/index.js";
import { definePagedAction, type ActionPage, type FetchedPage } from "./define-paged-action.js";
import { mapLead } from "./mapping.js";

const LEADS: SearchQuery = { field: "role", operator: "=", value: "lead" };
// Oldest first: a stable order for a cursor walk.
const LEADS_ORDER: NonNullable<SearchOptions["sort"]> = { field: "created_at", order: "ascending" };

/**
 * `ListLeads` (Listar todos os clientes potenciais): every lead of the workspace as an async
 * iterable (nothing is fetched until iteration starts), oldest first, one search page (150) at a
 * time. Leads created in the last minutes may be missing: Intercom's search lags creations.
 *
 * @example
 * const leads = await listLeads.run(intercom, {});
 * if (leads.ok) for await (const lead of leads.value) console.log(lead.email);
 */
export const listLeads = definePagedAction({
  id: "ListLeads",
  cursorPrefix: "leads",
  maxPageSize: MAX_PER_PAGE,
  async fetchPage(intercom, _input, { after, pageSize }): Promise<Result<FetchedPage<Lead_Response>, ConnectorError>> {
    const page = await intercom.searchContacts(LEADS, { perPage: pageSize, sort: LEADS_ORDER, ...(after === undefined ? {} : { startingAfter: after }) });
    return page.ok ? ok({ items: page.value.items.map(mapLead), nextAfter: page.value.nextStartingAfter }) : page;
  },
});

/**
 * One page of leads and the cursor of the next (null on the last page).
 *
 * @example
 * const page = await listLeadsPage(intercom, { pageSize: 50 });
 * if (page.ok) console.log(page.value.items.length, page.value.nextCursor);
 */
export type LeadsPage = ActionPage<Lead_Response>;

/** Where a page starts and how long it is. */
export interface LeadsPageRequest {
  /** A `nextCursor` from the previous page; omitted for the first page. */
  cursor?: string;
  /** Leads per page, 1..150 (default 150). */
  pageSize?: number;
}

/**
 * One page of leads, for faces that page (HTTP `nextLink`). The cursor is validated before any
 * call; one that Intercom no longer accepts is `invalid_input` too.
 *
 * @example
 * let page = await listLeadsPage(intercom);
 * while (page.ok && page.value.nextCursor !== null) page = await listLeadsPage(intercom, { cursor: page.value.nextCursor });
 */
export function listLeadsPage(intercom: IntercomTransport, request: LeadsPageRequest = {}): Promise<Result<LeadsPage, ConnectorError>> {
  return listLeads.paged.page(intercom, {}, request);
}

/**
 * The connector's cursor for a page of leads after Intercom's `starting_after`, as the next page's
 * `nextCursor` would carry it (for tests and tools that resume a listing).
 *
 * @example
 * const cursor = encodeLeadsCursor("WzE3MzQ1Mzc0MDAwMDAsIjY3NjJmMCJd"); // "leads.eyJhZnRlciI6…"
 */
export function encodeLeadsCursor(startingAfter: string): string {
  return `leads.${Buffer.from(JSON.stringify({ after: startingAfter }), "utf8").toString("base64url")}`;
}
