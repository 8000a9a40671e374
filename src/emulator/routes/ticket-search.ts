import type { FastifyInstance } from "fastify";
import { SearchEngine } from "../search/engine.js";
import { ticketSearchCatalog } from "../search/ticket-fields.js";
import type { TicketRecord } from "../ticket-model.js";
import { serializeTicket } from "../ticket-serialize.js";
import { ticketsOf, type TicketStore } from "../ticket-store.js";
import { runSearch } from "./search.js";

/** One engine (with its sorted indexes) per workspace's ticket index, made at its first search. */
const engines = new WeakMap<TicketStore, SearchEngine<TicketRecord>>();

function engineFor(store: TicketStore): SearchEngine<TicketRecord> {
  let engine = engines.get(store);
  if (engine === undefined) {
    engine = new SearchEngine(store.search);
    engines.set(store, engine);
  }
  return engine;
}

/**
 * Registers `POST /tickets/search`: Intercom's query language over the ticket fields (see
 * `search/ticket-fields.ts`), day-truncated dates in the workspace's time zone, sorting and cursor
 * pages, over what the ticket index shows after the workspace's search delay.
 *
 * @example
 * registerTicketSearchRoutes(app);
 * // POST /tickets/search {"query":{"field":"state","operator":"=","value":"submitted"}}
 */
export function registerTicketSearchRoutes(app: FastifyInstance): void {
  app.post("/tickets/search", async (request) => {
    const ws = request.workspace;
    const store = ticketsOf(ws);
    const page = runSearch(ws, request.body, { catalog: ticketSearchCatalog(store), source: store.search, engine: engineFor(store), serialize: serializeTicket });
    return { type: "ticket.list", tickets: page.items(), total_count: page.total, pages: page.pages };
  });
}
