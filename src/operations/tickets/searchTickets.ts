import type { Ticket } from "../../contract/catalogue/tickets.js";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import { MAX_PER_PAGE } from "../../intercom/index.js";
import { definePagedAction, type FetchedPage } from "../define-paged-action.js";
import { WireTicketSearch } from "./wire.js";

/**
 * `SearchTickets`: every ticket matching an Intercom query (checked by the contract before any
 * call), as an async iterable fetching one page (150) at a time; HTTP pages it (a POST, then GETs
 * whose cursor carries the query). Dates match by day in the workspace's time zone, and what
 * changed within Intercom's index delay may not show yet.
 *
 * @example
 * const open = await searchTickets.run(intercom, { query: { field: "state", operator: "=", value: "submitted" } });
 * if (open.ok) for await (const ticket of open.value) console.log(ticket.id);
 */
export const searchTickets = definePagedAction({
  id: "SearchTickets",
  cursorPrefix: "tickets",
  maxPageSize: MAX_PER_PAGE,
  async fetchPage(intercom, input, { after, pageSize }): Promise<Result<FetchedPage<Ticket>, ConnectorError>> {
    const body = {
      query: input.query,
      pagination: { per_page: pageSize, ...(after === undefined ? {} : { starting_after: after }) },
      ...(input.sort === undefined ? {} : { sort: input.sort }),
    };
    const answer = await intercom.request({
      what: "POST /tickets/search",
      answer: WireTicketSearch,
      // The SDK's request type lacks `sort` and some operators and value kinds; the API takes them.
      send: async (sdk, options) => (await sdk.tickets.search(body as never, options)).response,
    });
    if (!answer.ok) return answer;
    const next = answer.value.pages?.next?.starting_after;
    return ok({ items: answer.value.tickets, nextAfter: next === undefined || next === null || next === "" ? null : next });
  },
});
