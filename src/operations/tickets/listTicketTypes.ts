import type { TicketType } from "../../contract/catalogue/tickets.js";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import { definePagedAction, type FetchedPage } from "../define-paged-action.js";
import { WireTicketTypeList } from "./wire.js";

/**
 * `ListTicketTypes`: every ticket type of the workspace with its attributes (data types,
 * required flags, list options) and states. Intercom answers them all at once (`GET
 * /ticket_types` is not paged), so the list is one page and one call.
 *
 * @example
 * const types = await listTicketTypes.run(intercom, {});
 * if (types.ok) for await (const type of types.value) console.log(type.name, type.ticket_states?.data.map((s) => s.category));
 */
export const listTicketTypes = definePagedAction({
  id: "ListTicketTypes",
  cursorPrefix: "tickettypes",
  // Intercom gives every type at once: a face's page-size request up to this has no effect.
  maxPageSize: 10_000,
  async fetchPage(intercom): Promise<Result<FetchedPage<TicketType>, ConnectorError>> {
    const list = await intercom.request({ what: "GET /ticket_types", answer: WireTicketTypeList, send: (sdk, options) => sdk.ticketTypes.list(options) });
    return list.ok ? ok({ items: list.value.data, nextAfter: null }) : list;
  },
});
