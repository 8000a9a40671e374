import type { Intercom } from "intercom-client";
import type { Ticket } from "../../contract/catalogue/tickets.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { checkNewTicketAttributes } from "./attributes.js";
import { requestTicketCall, WireTicket } from "./wire.js";

/**
 * `CreateTicket`: `POST /tickets` for one contact (by Intercom id, external id or email; Intercom
 * creates a user for an email nobody has). Its `ticket_attributes` are first checked against the
 * ticket type (`GET /ticket_types/{id}`, remembered 5 minutes): an unknown, archived or mistyped
 * attribute, or a required one left out, is `invalid_ticket_attribute` naming
 * `ticket_attributes.<name>`, and nothing is written. Intercom's 404s name the contact, the
 * assignee or the company. Not safe to retry blindly: each call creates a ticket.
 *
 * @example
 * const ticket = await createTicket.run(intercom, { ticket_type_id: "1", contact_id: "6762f0a51bb69f9f2193bb5c", ticket_attributes: { _default_title_: "Login fails" } });
 * if (ticket.ok) console.log(ticket.value.id, ticket.value.ticket_state?.category); // "601" "submitted"
 */
export const createTicket = defineAction({
  id: "CreateTicket",
  async execute(intercom, input): Promise<Result<Ticket, ConnectorError>> {
    const attributes = input.ticket_attributes ?? {};
    const checked = await checkNewTicketAttributes(intercom, input.ticket_type_id, attributes);
    if (!checked.ok) return checked;
    const contact =
      input.contact_id !== undefined ? { id: input.contact_id }
        : input.contact_external_id !== undefined ? { external_id: input.contact_external_id }
          : { email: input.contact_email ?? "" };
    const contactField = input.contact_id !== undefined ? "contact_id" : input.contact_external_id !== undefined ? "contact_external_id" : "contact_email";
    const contactRef = input.contact_id ?? input.contact_external_id ?? input.contact_email ?? "";
    const assignment = {
      ...(input.admin_assignee_id === undefined ? {} : { admin_assignee_id: input.admin_assignee_id }),
      ...(input.team_assignee_id === undefined ? {} : { team_assignee_id: input.team_assignee_id }),
    };
    const body = {
      ticket_type_id: input.ticket_type_id,
      contacts: [contact],
      ticket_attributes: attributes,
      ...(Object.keys(assignment).length === 0 ? {} : { assignment }),
      ...(input.company_id === undefined ? {} : { company_id: input.company_id }),
      ...(input.created_at === undefined ? {} : { created_at: input.created_at }),
    };
    return requestTicketCall(intercom, {
      what: "POST /tickets",
      answer: WireTicket,
      classify({ code, field }) {
        if (code === "company_not_found") return { resource: "company", id: input.company_id ?? "", field: "company_id" };
        if (code === "assignee_not_found") {
          const team = field?.includes("team") === true || (input.admin_assignee_id === undefined && input.team_assignee_id !== undefined);
          return team ? { resource: "team", id: input.team_assignee_id ?? "", field: "team_assignee_id" } : { resource: "admin", id: input.admin_assignee_id ?? "", field: "admin_assignee_id" };
        }
        // Intercom's other 404 here is the contact's ("User Not Found").
        return { resource: "contact", id: contactRef, field: contactField };
      },
      // The SDK's 7.x request type leaves out ticket_attributes, which the API takes (intercom-node#508).
      send: (sdk, o) => sdk.tickets.create(body as unknown as Intercom.CreateTicketRequest, o),
    });
  },
});
