import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Company } from "../../contract/catalogue/companies.js";
import { definePagedAction, type FetchedPage } from "../define-paged-action.js";
import { mapCompany, WireCompanyScroll } from "./wire.js";

/**
 * Intercom's scroll sets its own page size; a face's page-size request up to this is accepted
 * and has no effect.
 */
const SCROLL_PAGE = 10_000;

/**
 * `ListCompanies`: every company, through `GET /companies/scroll`. Intercom's description sends
 * "all" there: `POST /companies/list` leaves out companies without contacts and stops at 10,000.
 * A scroll page's `scroll_param` is the cursor of the next; Intercom keeps one scroll per
 * workspace, for a minute unused, so a cursor older than that (or a second listing started
 * meanwhile) is `invalid_input` naming `cursor`: start again from the first page.
 *
 * @example
 * const companies = await listCompanies.run(intercom, {});
 * if (companies.ok) for await (const company of companies.value) console.log(company.name);
 */
export const listCompanies = definePagedAction({
  id: "ListCompanies",
  cursorPrefix: "companies",
  maxPageSize: SCROLL_PAGE,
  async fetchPage(intercom, _input, { after }): Promise<Result<FetchedPage<Company>, ConnectorError>> {
    const page = await intercom.request({
      what: "GET /companies/scroll",
      answer: WireCompanyScroll.nullish(),
      send: async (sdk, options) => (await sdk.companies.scroll(after === undefined ? {} : { scroll_param: after }, options)).response,
    });
    if (!page.ok) return page;
    const items = page.value?.data ?? [];
    // The page after the last is empty: an empty page ends the walk whatever it carries.
    return ok({ items: items.map(mapCompany), nextAfter: items.length === 0 ? null : (page.value?.scroll_param ?? null) });
  },
});
