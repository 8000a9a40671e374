import type { Ticket } from "../contract/catalogue/tickets.js";
import { WireTicket } from "../operations/tickets/wire.js";
import { defineTrigger } from "./define-trigger.js";
import { TICKET_TYPE_FILTER, ticketSearch } from "./ticket-scan.js";

/** When and how a ticket last changed state, from its newest state part. */
interface StateChange {
  at: number;
  previous: string | null;
  current: string | null;
}

/**
 * The newest state part of a ticket (`ticket_state_updated_by_admin`, or by a contact or a
 * workflow), or null when its parts show none.
 *
 * @example
 * lastStateChange(ticket)?.at; // 1795523438
 */
export function lastStateChange(ticket: Ticket): StateChange | null {
  const parts = ticket.ticket_parts?.ticket_parts ?? [];
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index];
    if (part?.part_type.startsWith("ticket_state_updated") === true) return { at: part.created_at, previous: part.previous_ticket_state ?? null, current: part.ticket_state ?? null };
  }
  return null;
}

/**
 * `TrigTicketStateChanged`: once for each change of a ticket's state, never for its creation;
 * polled through tickets search by `updated_at`, pushed as `ticket.state.updated`. The key is the
 * ticket, its state and when it entered that state (its newest state part): a later edit that
 * leaves the state alone moves `updated_at` but not the key, and going back to an earlier state is
 * a new event. The event is the ticket in its new state.
 *
 * @example
 * trigTicketStateChanged.pushTopics; // ["ticket.state.updated"]
 */
export const trigTicketStateChanged = defineTrigger({
  id: "TrigTicketStateChanged",
  item: WireTicket,
  itemName: "a ticket",
  // A ticket keeps its id across changes, so leaving seen ids out would hide its next state.
  search: ticketSearch({ timeField: "updated_at", excludeSeenIds: false }),
  pushTopics: ["ticket.state.updated"],
  time: (ticket) => ticket.updated_at ?? ticket.created_at,
  key: (ticket) => `${ticket.id}:${ticket.ticket_state?.id ?? ""}:${lastStateChange(ticket)?.at ?? ticket.created_at}`,
  itemId: (ticket) => ticket.id,
  // A new ticket's state part records its first state (the same before and after): that is
  // TrigNewTicket's event. A change within the second of creation still shows as a change of state.
  accepts(ticket) {
    const change = lastStateChange(ticket);
    return change !== null && (change.at > ticket.created_at || change.previous !== change.current);
  },
  toEvent: (ticket) => Promise.resolve({ ok: true, value: ticket }),
  filters: { ticket_type_id: TICKET_TYPE_FILTER },
});
