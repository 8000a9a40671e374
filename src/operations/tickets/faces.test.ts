import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import { Ticket, TicketList } from "../../contract/catalogue/tickets.js";
import type { TicketTypeRecord } from "../../emulator/ticket-model.js";
import { ticketsOf } from "../../emulator/ticket-store.js";
import { createTicket as storeTicket } from "../../emulator/ticket-writes.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// The tickets area through the three faces, none of them edited for it: the same answers from
// the library, the HTTP service (a paged POST, then GETs on nextLink) and `call`, and an attribute
// the type refuses the same code and field in all three, with nothing written.

let faces: ThreeFaces;
let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let baseUrl: string;
let apiKey: string;
let type: TicketTypeRecord;
let contactId: string;
const expected: string[] = [];

const SEARCH = { query: { field: "state", operator: "=", value: "submitted" }, sort: { field: "created_at", order: "ascending" } };

beforeAll(async () => {
  faces = await startThreeFaces();
  ({ bed, connector, libraryConnection, apiKey, baseUrl } = faces);
  const ws = bed.em.workspace;
  type = ticketsOf(ws).createType({ name: "Bug report" });
  const contact = ws.insertContact({ role: "user", email: "ada@example.com" });
  contactId = contact.id;
  const owner = ws.admins.get(ws.ownerAdminId);
  if (owner === undefined) throw new Error("no owner");
  // 160 submitted tickets (more than one page of 150).
  for (let i = 0; i < 160; i++) {
    const ticket = storeTicket(ws, { type, contacts: [contact], attributes: {}, companyId: null, createdAt: 1_700_000_000 + i, admin: null, team: null, linkedConversationId: null, author: owner });
    expected.push(ticket.id);
  }
});

afterAll(() => faces.close());

describe("tickets in the library, the HTTP service and the CLI", { timeout: 120_000 }, () => {
  it("moves a ticket in one face and reads the same ticket in all three", async () => {
    const id = expected[0] ?? "";
    const moved = await connector.connection(libraryConnection).run("UpdateTicket", { ticket_id: id, state: "in_progress" });
    if (!moved.ok) throw moved.error;
    expect(moved.value).toMatchObject({ ticket_state: { category: "in_progress" } });

    const library = await connector.connection(libraryConnection).run("GetTicket", { ticket_id: id });
    if (!library.ok) throw library.error;
    const http = await faces.post("GetTicket", { ticket_id: id });
    expect(http.status).toBe(200);
    expect(await http.json()).toEqual(library.value);
    const run = await faces.call("GetTicket", { ticket_id: id });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library.value);
    expect(Ticket.parse(library.value)).toEqual(library.value);
  });

  it("searches the same tickets in the same order in all three", async () => {
    const streamed = await connector.connection(libraryConnection).run("SearchTickets", SEARCH);
    if (!streamed.ok) throw streamed.error;
    const library: unknown[] = [];
    for await (const ticket of streamed.value) library.push(ticket);
    expect(TicketList.parse(library).map((t) => t.id)).toEqual(expected.slice(1));

    const first = await faces.post("SearchTickets", SEARCH);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { value: unknown[]; nextLink?: string };
    expect(page1.value).toHaveLength(150);
    expect(page1.nextLink).toMatch(new RegExp(`^${baseUrl}/v1/actions/SearchTickets\\?cursor=tickets\\.`));
    const second = await fetch(page1.nextLink ?? "", { headers: { "x-api-key": apiKey } });
    expect(second.status).toBe(200);
    const page2 = (await second.json()) as { value: unknown[]; nextLink?: string };
    expect(page2).not.toHaveProperty("nextLink");
    expect([...page1.value, ...page2.value]).toEqual(library);

    const run = await faces.call("SearchTickets", SEARCH);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library);
  });

  it("refuses an attribute the ticket type lacks with the same code and field in all three, writing nothing", async () => {
    const count = ticketsOf(bed.em.workspace).tickets.size;
    const input = { ticket_type_id: type.id, contact_id: contactId, ticket_attributes: { Severity: "high" } };
    const library = await connector.connection(libraryConnection).run("CreateTicket", input);
    expect(library.ok ? "ok" : [library.error.code, library.error.field]).toEqual(["invalid_ticket_attribute", "ticket_attributes.Severity"]);
    const answer = await faces.post("CreateTicket", input);
    expect(answer.status).toBe(422);
    expect(((await answer.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "invalid_ticket_attribute", field: "ticket_attributes.Severity" });
    const run = await faces.call("CreateTicket", input);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^error invalid_ticket_attribute: Ticket attribute "Severity" is not an attribute of this ticket type/m);
    expect(ticketsOf(bed.em.workspace).tickets.size).toBe(count);
  });
});
