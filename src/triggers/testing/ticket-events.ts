import type { Ticket } from "../../contract/catalogue/tickets.js";
import type { TicketStateCategory } from "../../emulator/ticket-model.js";
import { ticketsOf } from "../../emulator/ticket-store.js";
import { createTicket, updateTicket } from "../../emulator/ticket-writes.js";
import { lastStateChange } from "../trigTicketStateChanged.js";
import type { TriggerFixture } from "./harness.js";
import type { TriggerEventMaker } from "./scenarios.js";

/** The states a ticket goes through in these scenarios, in turn (never the one it is in). */
const CYCLE: readonly TicketStateCategory[] = ["in_progress", "waiting_on_customer", "resolved"];

function ownerOf(f: TriggerFixture) {
  const owner = f.em.workspace.admins.get(f.em.workspace.ownerAdminId);
  if (owner === undefined) throw new Error("no owner admin");
  return owner;
}

/**
 * `TrigTicketStateChanged`'s events for the generic scenarios: tickets made in a `Bug report`
 * type, each event a change to the next state of {@link CYCLE}; an event is the ticket, its state
 * and when it entered it.
 *
 * @example
 * describeTriggerScenarios(ticketStateChanges);
 */
export const ticketStateChanges: TriggerEventMaker = {
  triggerId: "TrigTicketStateChanged",
  async prepare(f, count) {
    const ws = f.em.workspace;
    const store = ticketsOf(ws);
    const type = [...store.types.values()].find((t) => t.name === "Bug report") ?? store.createType({ name: "Bug report" });
    const owner = ownerOf(f);
    return Array.from({ length: count }, (_, i) => {
      const contact = ws.insertContact({ role: "user", email: `ticket-${ws.clock.now()}-${i}@example.com` }, { emit: false });
      return createTicket(ws, { type, contacts: [contact], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner }).id;
    });
  },
  async happen(f, targets) {
    const ws = f.em.workspace;
    const store = ticketsOf(ws);
    const owner = ownerOf(f);
    return targets.map((id) => {
      const ticket = store.tickets.get(id);
      const type = ticket === undefined ? undefined : store.types.get(ticket.ticket_type_id);
      if (ticket === undefined || type === undefined) throw new Error(`no ticket ${id}`);
      const current = store.states.get(ticket.state_id)?.category;
      const next = CYCLE[(CYCLE.indexOf(current as TicketStateCategory) + 1) % CYCLE.length] ?? "in_progress";
      const stateId = type.state_ids.find((s) => store.states.get(s)?.category === next);
      if (stateId === undefined) throw new Error(`no ${next} state`);
      updateTicket(ws, ticket, { author: owner, stateId });
      return `${id}:${next}:${ws.clock.now()}`;
    });
  },
  identity(payload) {
    const ticket = payload as unknown as Ticket;
    return `${ticket.id}:${ticket.ticket_state?.category ?? ""}:${lastStateChange(ticket)?.at ?? ""}`;
  },
  time: (payload) => (payload as unknown as Ticket).updated_at ?? 0,
};
