import type { Ticket } from "../../contract/catalogue/tickets.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { requestTicketCall, WireTicket } from "./wire.js";

/**
 * `GetTicket`: `GET /tickets/{id}`, the ticket with its type (attributes and states), state,
 * contacts, attribute values and parts. An unknown id is `not_found`. Safe to retry.
 *
 * @example
 * const ticket = await getTicket.run(intercom, { ticket_id: "601" });
 * if (ticket.ok) console.log(ticket.value.ticket_state?.category);
 */
export const getTicket = defineAction({
  id: "GetTicket",
  execute(intercom, input): Promise<Result<Ticket, ConnectorError>> {
    const { ticket_id } = input;
    return requestTicketCall(intercom, { what: "GET /tickets/{id}", answer: WireTicket, ticketId: ticket_id, send: (sdk, o) => sdk.tickets.get({ ticket_id }, o) });
  },
});
