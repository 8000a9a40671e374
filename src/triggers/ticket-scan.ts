import type { Ticket } from "../contract/catalogue/tickets.js";
import type { SearchQuery } from "../intercom/index.js";
import { WireTicketSearch } from "../operations/tickets/wire.js";
import { SCAN_PAGE_SIZE, scanQuery, type TriggerSearch } from "./define-trigger.js";
import type { TriggerFilterSpec } from "./filters.js";

/**
 * The ticket triggers' ticket type filter: only tickets of that type, which search asks itself
 * (`ticket_type_id =`), so a scan for one type reads only its pages.
 *
 * @example
 * const filters = { ticket_type_id: TICKET_TYPE_FILTER };
 */
export const TICKET_TYPE_FILTER: TriggerFilterSpec<Ticket> = {
  type: "id",
  title: "Ticket Type",
  description: "Only tickets of this type (ListTicketTypes gives the ids); every type when left out.",
  picker: "ticket_types",
  values: (ticket) => (ticket.ticket_type?.id === undefined ? [] : [ticket.ticket_type.id]),
  searchField: "ticket_type_id",
};

/**
 * A trigger's search over `POST /tickets/search`, newest first by `timeField` (a date field:
 * Intercom truncates it to the day, which `scanQuery`'s lower bound allows for). Intercom's time
 * comes from the answer's `Date` header, as the other scans take it.
 *
 * @example
 * ticketSearch({ timeField: "created_at", excludeSeenIds: true });
 */
export function ticketSearch(scan: { timeField: "created_at" | "updated_at"; excludeSeenIds: boolean; filters?: SearchQuery[] }): TriggerSearch<Ticket> {
  return {
    excludeSeenIds: scan.excludeSeenIds,
    async fetchPage(intercom, { floor, startingAfter, excludeIds }, conditions = []) {
      const body = {
        query: scanQuery([...(scan.filters ?? []), ...conditions], scan.timeField, floor, excludeIds),
        pagination: { per_page: SCAN_PAGE_SIZE, ...(startingAfter === null ? {} : { starting_after: startingAfter }) },
        sort: { field: scan.timeField, order: "descending" },
      };
      let serverTime: number | null = null;
      const answer = await intercom.request({
        what: "POST /tickets/search",
        answer: WireTicketSearch,
        // The SDK's request type lacks `sort`; the API takes it.
        async send(sdk, options) {
          const page = await sdk.tickets.search(body as never, options);
          serverTime = dateSeconds(page.rawResponse.headers.get("date"));
          return page.response;
        },
      });
      if (!answer.ok) return answer;
      const next = answer.value.pages?.next?.starting_after;
      return { ok: true, value: { items: answer.value.tickets, nextCursor: next === undefined || next === null || next === "" ? null : next, serverTime } };
    },
  };
}

/** Intercom's clock from a `Date` header (whole seconds), or null. */
function dateSeconds(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
