import { WireTicket } from "../operations/tickets/wire.js";
import { defineTrigger } from "./define-trigger.js";
import { TICKET_TYPE_FILTER, ticketSearch } from "./ticket-scan.js";

/**
 * `TrigNewTicket`: once for each new ticket; polled through tickets search by `created_at`,
 * pushed as `ticket.created`, keyed by the ticket's id. The event is the ticket as Intercom 2.14
 * answers it (type, state, contacts, attributes, parts).
 *
 * @example
 * trigNewTicket.pushTopics; // ["ticket.created"]
 */
export const trigNewTicket = defineTrigger({
  id: "TrigNewTicket",
  item: WireTicket,
  itemName: "a ticket",
  search: ticketSearch({ timeField: "created_at", excludeSeenIds: true }),
  pushTopics: ["ticket.created"],
  time: (ticket) => ticket.created_at,
  key: (ticket) => ticket.id,
  itemId: (ticket) => ticket.id,
  accepts: () => true,
  toEvent: (ticket) => Promise.resolve({ ok: true, value: ticket }),
  filters: { ticket_type_id: TICKET_TYPE_FILTER },
});
