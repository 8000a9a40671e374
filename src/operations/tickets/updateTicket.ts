import type { Intercom } from "intercom-client";
import type { Ticket } from "../../contract/catalogue/tickets.js";
import { connectorError, err, type ConnectorError, type Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { loadTicketType, ticketAttributeProblem } from "./attributes.js";
import { adminIdValue, requestTicketCall, WireTicket } from "./wire.js";

/**
 * `UpdateTicket`: `PUT /tickets/{id}` with the changes given. A `state` by category, or
 * `ticket_attributes`, first reads the ticket (`GET /tickets/{id}`, whose type carries its states
 * and attributes): the category becomes that type's state id (`invalid_ticket_state` when it has
 * none), and each attribute is checked against the type (`invalid_ticket_attribute` naming
 * `ticket_attributes.<name>`), before anything is written. Intercom's 404s name the ticket, or the
 * assignee or admin (`assignee_not_found`). Setting the same values again changes nothing more.
 *
 * @example
 * const updated = await updateTicket.run(intercom, { ticket_id: "601", state: "resolved", admin_id: "991200" });
 * if (updated.ok) console.log(updated.value.ticket_state?.category); // "resolved"
 */
export const updateTicket = defineAction({
  id: "UpdateTicket",
  async execute(intercom, input): Promise<Result<Ticket, ConnectorError>> {
    const { ticket_id } = input;
    let stateId = input.ticket_state_id;
    if (input.state !== undefined || input.ticket_attributes !== undefined) {
      const current = await requestTicketCall(intercom, { what: "GET /tickets/{id}", answer: WireTicket, ticketId: ticket_id, send: (sdk, o) => sdk.tickets.get({ ticket_id }, o) });
      if (!current.ok) return current;
      let type = current.value.ticket_type ?? null;
      // A ticket answered without its type's attributes: read the type itself.
      if (input.ticket_attributes !== undefined && type?.ticket_type_attributes?.data === undefined && type !== null) {
        const loaded = await loadTicketType(intercom, type.id, { refresh: true });
        if (!loaded.ok) return loaded;
        type = loaded.value.type;
      }
      if (input.state !== undefined) {
        const state = (type?.ticket_states?.data ?? []).find((s) => s.category === input.state);
        if (state === undefined) return err(connectorError("invalid_ticket_state", { state: input.state }, { field: "state" }));
        stateId = state.id;
      }
      if (input.ticket_attributes !== undefined && type !== null) {
        const problem = ticketAttributeProblem(type, input.ticket_attributes, { creating: false });
        if (problem !== null) return err(problem);
      }
    }
    const body = {
      ticket_id,
      ...(stateId === undefined ? {} : { ticket_state_id: stateId }),
      ...(input.assignee_id === undefined ? {} : { assignee_id: input.assignee_id }),
      ...(input.admin_id === undefined ? {} : { admin_id: adminIdValue(input.admin_id) }),
      ...(input.ticket_attributes === undefined ? {} : { ticket_attributes: input.ticket_attributes }),
      ...(input.open === undefined ? {} : { open: input.open }),
      ...(input.snoozed_until === undefined ? {} : { snoozed_until: input.snoozed_until }),
      ...(input.is_shared === undefined ? {} : { is_shared: input.is_shared }),
      ...(input.company_id === undefined ? {} : { company_id: input.company_id }),
    };
    return requestTicketCall(intercom, {
      what: "PUT /tickets/{id}",
      answer: WireTicket,
      ticketId: ticket_id,
      classify({ code, field }) {
        if (code === "company_not_found") return { resource: "company", id: input.company_id ?? "", field: "company_id" };
        if (code !== "assignee_not_found") return undefined;
        // The description answers assignee_not_found for an unknown admin_id too.
        const admin = field === "admin_id" || (field === undefined && input.assignee_id === undefined);
        return admin ? { resource: "admin", id: input.admin_id ?? "", field: "admin_id" } : { resource: "admin or team", id: input.assignee_id ?? "", field: "assignee_id" };
      },
      // The SDK types admin_id as a number; an id that is not one goes as given, for Intercom to judge.
      send: (sdk, o) => sdk.tickets.update(body as Intercom.UpdateTicketRequest, o),
    });
  },
});
