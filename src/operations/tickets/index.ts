import { createTicket } from "./createTicket.js";
import { getTicket } from "./getTicket.js";
import { listTicketTypes } from "./listTicketTypes.js";
import { replyToTicket } from "./replyToTicket.js";
import { searchTickets } from "./searchTickets.js";
import { updateTicket } from "./updateTicket.js";

/**
 * The tickets area's actions by id.
 *
 * @example
 * const ticket = await TICKET_ACTIONS.GetTicket.run(intercom, { ticket_id: "601" });
 */
export const TICKET_ACTIONS = {
  ListTicketTypes: listTicketTypes,
  CreateTicket: createTicket,
  GetTicket: getTicket,
  UpdateTicket: updateTicket,
  ReplyToTicket: replyToTicket,
  SearchTickets: searchTickets,
} as const;
