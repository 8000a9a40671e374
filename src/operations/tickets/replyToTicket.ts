import type { TicketReply } from "../../contract/catalogue/tickets.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { requestTicketCall, WireTicketReply } from "./wire.js";

/**
 * `ReplyToTicket`: `POST /tickets/{id}/reply`, as an admin (a `comment` the contact sees, or an
 * internal `note`) or as a contact (a comment; Intercom takes none on Back-office and Tracker
 * tickets, `intercom_rejected`). Intercom's 404 is "Resource Not Found" for the ticket, the admin
 * and the contact alike; the field it names, when it names one, tells them apart. Not safe to
 * retry blindly: each call adds a reply.
 *
 * @example
 * const reply = await replyToTicket.run(intercom, { ticket_id: "601", admin_id: "991200", message_type: "note", body: "Checked the logs" });
 * if (reply.ok) console.log(reply.value.part_type); // "note"
 */
export const replyToTicket = defineAction({
  id: "ReplyToTicket",
  execute(intercom, input): Promise<Result<TicketReply, ConnectorError>> {
    const { ticket_id, body, admin_id, contact_id } = input;
    const message = admin_id !== undefined
      ? { type: "admin" as const, message_type: input.message_type ?? "comment", admin_id, body }
      : { type: "user" as const, message_type: "comment" as const, intercom_user_id: contact_id ?? "", body };
    return requestTicketCall(intercom, {
      what: "POST /tickets/{id}/reply",
      answer: WireTicketReply,
      ticketId: ticket_id,
      classify({ field }) {
        if (field === "admin_id" && admin_id !== undefined) return { resource: "admin", id: admin_id, field: "admin_id" };
        if (field === "intercom_user_id" && contact_id !== undefined) return { resource: "contact", id: contact_id, field: "contact_id" };
        return undefined;
      },
      send: (sdk, o) => sdk.tickets.reply({ ticket_id, body: message }, o),
    });
  },
});
