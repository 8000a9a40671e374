import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap } from "../contract/index.js";
import { ticketsOf } from "../emulator/ticket-store.js";
import { createTicket } from "../emulator/ticket-writes.js";
import type { TicketTypeRecord } from "../emulator/ticket-model.js";
import { eventually, startConnectorTestBed, type ConnectorTestBed } from "./testing/setup.js";

let bed: ConnectorTestBed;
beforeEach(async () => {
  bed = await startConnectorTestBed();
});
afterEach(async () => {
  await bed.cleanup();
});

function ticketOf(type: TicketTypeRecord, n: number): string {
  const ws = bed.em.workspace;
  const owner = ws.admins.get(ws.ownerAdminId);
  if (owner === undefined) throw new Error("no owner");
  const contact = ws.insertContact({ role: "user", email: `lib${n}@example.com` }, { emit: false });
  return createTicket(ws, { type, contacts: [contact], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner }).id;
}

describe("ConnectionClient.subscribe with filters", () => {
  it("hands the handler only the tickets of the type it asked for; a bad filter is invalid_input naming it, and a resume keeps its own", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const client = connector.connection(connectionId);
    const store = ticketsOf(bed.em.workspace);
    const [bug, refund] = [store.createType({ name: "Bug" }), store.createType({ name: "Refund" })];
    expect(await client.subscribe("TrigNewTicket", () => undefined, { filters: { ticket_type_id: "a/b" } })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters.ticket_type_id" } });
    expect(await client.subscribe("TrigNewLead", () => undefined, { filters: { ticket_type_id: bug.id } })).toMatchObject({ ok: false, error: { field: "filters.ticket_type_id" } });
    const received: string[] = [];
    const handle = unwrap(await client.subscribe("TrigNewTicket", (ticket) => void received.push(ticket.id), { filters: { ticket_type_id: bug.id } }));
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the baseline
    const wanted = ticketOf(bug, 1);
    ticketOf(refund, 2);
    await eventually(() => (received.length >= 1 ? true : undefined), 15_000, "the bug ticket");
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await handle.stop();
    expect(received).toEqual([wanted]);
    const resumed = await client.subscribe("TrigNewTicket", () => undefined, { subscriptionId: handle.subscriptionId, filters: { ticket_type_id: refund.id } });
    expect(resumed).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters" } });
  });
});
