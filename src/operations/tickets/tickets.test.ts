import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Ticket, TicketReply, TicketType } from "../../contract/catalogue/tickets.js";
import { unwrap } from "../../contract/index.js";
import { seedWorkspace } from "../../emulator/seed.js";
import type { TicketTypeRecord } from "../../emulator/ticket-model.js";
import { ticketsOf } from "../../emulator/ticket-store.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { createTicket } from "./createTicket.js";
import { getTicket } from "./getTicket.js";
import { listTicketTypes } from "./listTicketTypes.js";
import { replyToTicket } from "./replyToTicket.js";
import { searchTickets } from "./searchTickets.js";
import { updateTicket } from "./updateTicket.js";

let c: ConnectedEmulator;
let bug: TicketTypeRecord;
let refund: TicketTypeRecord;
let contactId: string;

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

beforeEach(async () => {
  c = await startConnectedEmulator();
  await c.workspace("POST", "/clock", { set: NOW, frozen: true });
  seedWorkspace(c.em.workspace, { preset: "demo", contacts: 0 });
  const types = [...ticketsOf(c.em.workspace).types.values()];
  bug = types.find((t) => t.name === "Bug report") as TicketTypeRecord;
  refund = types.find((t) => t.name === "Refund request") as TicketTypeRecord;
  contactId = c.em.workspace.insertContact({ role: "user", email: "ada@example.com", external_id: "ada-1" }).id;
  await c.resetCalls();
});
afterEach(async () => {
  await c.close();
});

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function option(label: string): string {
  return ticketsOf(c.em.workspace).attributeByName(bug, "Priority")?.list_options?.find((o) => o.label === label)?.id ?? "";
}

function teammate(): string {
  return [...c.em.workspace.admins.keys()].find((id) => id !== c.em.workspace.ownerAdminId) ?? "";
}

describe("ListTicketTypes", () => {
  it("streams every type with its attributes and states, in one call", async () => {
    const types = await all(unwrap(await listTicketTypes.run(c.intercom, {})));
    expect(types.map((t) => [t.name, t.category])).toEqual([["Bug report", "Customer"], ["Refund request", "Back-office"]]);
    for (const type of types) expect(TicketType.parse(type)).toEqual(type);
    const priority = types[0]?.ticket_type_attributes?.data.find((a) => a.name === "Priority");
    expect(priority).toMatchObject({ data_type: "list", required_to_create: true, input_options: { list_options: [{ label: "Low" }, { label: "Medium" }, { label: "High" }] } });
    expect(types[0]?.ticket_states?.data.map((s) => s.category)).toEqual(["submitted", "in_progress", "waiting_on_customer", "resolved"]);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /ticket_types": 1 } });
  });
});

describe("CreateTicket", () => {
  it("checks the attributes against the type, then creates the ticket for the contact named", async () => {
    const ticket = unwrap(await createTicket.run(c.intercom, {
      ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { _default_title_: "Login fails", Priority: option("High"), Reproducible: true }, admin_assignee_id: teammate(),
    }));
    expect(ticket).toMatchObject({
      type: "ticket", category: "Customer", created_at: NOW, admin_assignee_id: teammate(), team_assignee_id: "0", open: true,
      ticket_attributes: { _default_title_: "Login fails", Priority: option("High"), Reproducible: true, _default_description_: null },
      ticket_state: { category: "submitted" }, contacts: { contacts: [{ id: contactId, external_id: "ada-1" }] },
    });
    expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /ticket_types/:ticket_type_id": 1, "POST /tickets": 1 } });

    // The type is remembered: the next ticket of it costs one call. By external id and by email too.
    await c.resetCalls();
    const byExternal = unwrap(await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_external_id: "ada-1", ticket_attributes: { Priority: option("Low") } }));
    expect(byExternal.contacts?.contacts[0]?.id).toBe(contactId);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /tickets": 1 } });
    const byEmail = unwrap(await createTicket.run(c.intercom, { ticket_type_id: refund.id, contact_email: "new@example.com", ticket_attributes: { Amount: 19.99 } }));
    expect(c.em.workspace.contacts.get(byEmail.contacts?.contacts[0]?.id ?? "")).toMatchObject({ email: "new@example.com", role: "user" });
  });

  it("refuses unknown, mistyped and missing required attributes naming ticket_attributes.<name>, writing nothing", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ Priority: option("Low"), Severity: "bad" }, "ticket_attributes.Severity", "is not an attribute of this ticket type"],
      [{ Priority: "High" }, "ticket_attributes.Priority", "must be the id of one of its options"],
      [{ Priority: option("Low"), Reproducible: "yes" }, "ticket_attributes.Reproducible", "must be true or false"],
      [{ _default_title_: "No priority" }, "ticket_attributes.Priority", "is required by this ticket type"],
    ];
    for (const [attributes, field, reason] of cases) {
      const result = await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: attributes });
      expect(!result.ok && result.error.toJSON(), JSON.stringify(attributes)).toMatchObject({ code: "invalid_ticket_attribute", status: 422, field });
      expect(!result.ok && result.error.message).toContain(reason);
    }
    const refundCase = await createTicket.run(c.intercom, { ticket_type_id: refund.id, contact_id: contactId, ticket_attributes: { Amount: 5, "Order number": 1.5 } });
    expect(!refundCase.ok && refundCase.error.toJSON()).toMatchObject({ code: "invalid_ticket_attribute", field: "ticket_attributes.Order number" });
    expect(ticketsOf(c.em.workspace).tickets.size).toBe(0);
    // One type read each (the first remembered, re-read before each refusal); never a POST.
    expect((await c.calls()).calls["POST /tickets"]).toBeUndefined();
  });

  it("asks again before refusing on a remembered type: an attribute added since is taken", async () => {
    unwrap(await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { Priority: option("Low") } }));
    ticketsOf(c.em.workspace).addAttribute(bug, { name: "Browser", description: "", data_type: "string" });
    await c.resetCalls();
    const ticket = unwrap(await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { Priority: option("Low"), Browser: "Firefox" } }));
    expect(ticket.ticket_attributes).toMatchObject({ Browser: "Firefox" });
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /ticket_types/:ticket_type_id": 1, "POST /tickets": 1 } });
  });

  it("refuses bad input naming the field before any call, and maps Intercom's 404s", async () => {
    for (const [input, field] of [
      [{ ticket_type_id: bug.id }, "contact_id"],
      [{ ticket_type_id: bug.id, contact_id: contactId, contact_email: "a@example.com" }, "contact_email"],
      [{ ticket_type_id: "../x", contact_id: contactId }, "ticket_type_id"],
      [{ ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { x: { nested: true } } }, "ticket_attributes.x"],
      [{ ticket_type_id: bug.id, contact_id: contactId, extra: 1 }, "extra"],
    ] as const) {
      const result = await createTicket.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
    const type = await createTicket.run(c.intercom, { ticket_type_id: "999", contact_id: contactId });
    expect(!type.ok && type.error.toJSON()).toMatchObject({ code: "not_found", message: "No ticket type with id 999", field: "ticket_type_id" });
    const contact = await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: "6762f0a51bb69f9f2193bb5c", ticket_attributes: { Priority: option("Low") } });
    expect(!contact.ok && contact.error.toJSON()).toMatchObject({ code: "not_found", message: "No contact with id 6762f0a51bb69f9f2193bb5c", field: "contact_id" });
    const admin = await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { Priority: option("Low") }, admin_assignee_id: "424242" });
    expect(!admin.ok && admin.error.toJSON()).toMatchObject({ code: "not_found", message: "No admin with id 424242", field: "admin_assignee_id" });
    expect(ticketsOf(c.em.workspace).tickets.size).toBe(0);
  });
});

describe("GetTicket, UpdateTicket, ReplyToTicket", () => {
  async function newTicket(): Promise<string> {
    return unwrap(await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { Priority: option("Low") } })).id;
  }

  it("gets a ticket, or not_found", async () => {
    const id = await newTicket();
    await c.resetCalls();
    const ticket = unwrap(await getTicket.run(c.intercom, { ticket_id: id }));
    expect(ticket).toMatchObject({ id, ticket_type: { id: bug.id, name: "Bug report" } });
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /tickets/:ticket_id": 1 } });
    const missing = await getTicket.run(c.intercom, { ticket_id: "999" });
    expect(!missing.ok && missing.error.toJSON()).toMatchObject({ code: "not_found", message: "No ticket with id 999" });
  });

  it("moves the state by category or id, assigns, and sets attributes checked against the ticket's type", async () => {
    const id = await newTicket();
    await c.resetCalls();
    const admin = teammate();
    const moved = unwrap(await updateTicket.run(c.intercom, { ticket_id: id, state: "in_progress", assignee_id: admin, admin_id: admin, ticket_attributes: { Priority: option("High") } }));
    expect(moved).toMatchObject({ ticket_state: { category: "in_progress" }, admin_assignee_id: admin, ticket_attributes: { Priority: option("High") } });
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /tickets/:ticket_id": 1, "PUT /tickets/:ticket_id": 1 } });

    await c.resetCalls();
    const resolvedId = bug.state_ids.find((s) => ticketsOf(c.em.workspace).states.get(s)?.category === "resolved") ?? "";
    const resolved = unwrap(await updateTicket.run(c.intercom, { ticket_id: id, ticket_state_id: resolvedId, open: false }));
    expect(resolved).toMatchObject({ ticket_state: { category: "resolved" }, open: false });
    expect(await c.calls()).toEqual({ total: 1, calls: { "PUT /tickets/:ticket_id": 1 } });

    const badAttribute = await updateTicket.run(c.intercom, { ticket_id: id, ticket_attributes: { Reproducible: 3 } });
    expect(!badAttribute.ok && badAttribute.error.toJSON()).toMatchObject({ code: "invalid_ticket_attribute", field: "ticket_attributes.Reproducible" });
    const badAssignee = await updateTicket.run(c.intercom, { ticket_id: id, assignee_id: "424242" });
    expect(!badAssignee.ok && badAssignee.error.toJSON()).toMatchObject({ code: "not_found", field: "assignee_id" });
    const badState = await updateTicket.run(c.intercom, { ticket_id: id, ticket_state_id: "0" });
    expect(!badState.ok && badState.error.toJSON()).toMatchObject({ code: "intercom_rejected", status: 400 });
    expect(!badState.ok && badState.error.message).toContain("ticket_state_id_invalid");
    // A type without a state of that category.
    const [firstState] = bug.state_ids;
    ticketsOf(c.em.workspace).types.set(bug.id, { ...bug, state_ids: bug.state_ids.filter((s) => ticketsOf(c.em.workspace).states.get(s)?.category !== "waiting_on_customer") });
    const noState = await updateTicket.run(c.intercom, { ticket_id: id, state: "waiting_on_customer" });
    expect(!noState.ok && noState.error.toJSON()).toMatchObject({ code: "invalid_ticket_state", status: 422, field: "state" });
    expect(firstState).toBeDefined();
    expect(ticketsOf(c.em.workspace).tickets.get(id)?.state_id).toBe(resolvedId);

    for (const [input, field] of [
      [{ ticket_id: id }, "state"],
      [{ ticket_id: id, admin_id: admin }, "state"],
      [{ ticket_id: id, state: "resolved", ticket_state_id: resolvedId }, "state"],
      [{ ticket_id: id, state: "closed" }, "state"],
    ] as const) {
      const result = await updateTicket.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", field });
    }
  });

  it("replies as an admin (comment or note) or as the contact, answering the reply", async () => {
    const id = await newTicket();
    await c.resetCalls();
    const admin = c.em.workspace.admins.get(teammate());
    const note = unwrap(await replyToTicket.run(c.intercom, { ticket_id: id, admin_id: admin?.id ?? "", message_type: "note", body: "Checked the logs" }));
    expect(note).toMatchObject({ type: "ticket_part", part_type: "note", body: "<p>Checked the logs</p>", author: { type: "admin", id: admin?.id, name: admin?.name } });
    expect(TicketReply.parse(note)).toEqual(note);
    const comment = unwrap(await replyToTicket.run(c.intercom, { ticket_id: id, admin_id: admin?.id ?? "", body: "We are on it" }));
    expect(comment.part_type).toBe("comment");
    const contact = unwrap(await replyToTicket.run(c.intercom, { ticket_id: id, contact_id: contactId, body: "Thanks" }));
    expect(contact).toMatchObject({ part_type: "comment", author: { type: "user", id: contactId } });
    expect(await c.calls()).toEqual({ total: 3, calls: { "POST /tickets/:ticket_id/reply": 3 } });

    const missing = await replyToTicket.run(c.intercom, { ticket_id: "999", admin_id: admin?.id ?? "", body: "x" });
    expect(!missing.ok && missing.error.toJSON()).toMatchObject({ code: "not_found", message: "No ticket with id 999" });
    const unknownAdmin = await replyToTicket.run(c.intercom, { ticket_id: id, admin_id: "424242", body: "x" });
    expect(!unknownAdmin.ok && unknownAdmin.error.toJSON()).toMatchObject({ code: "not_found", message: "No admin with id 424242", field: "admin_id" });
    const backOffice = unwrap(await createTicket.run(c.intercom, { ticket_type_id: refund.id, contact_id: contactId, ticket_attributes: { Amount: 1 } }));
    const refused = await replyToTicket.run(c.intercom, { ticket_id: backOffice.id, contact_id: contactId, body: "Hello?" });
    expect(!refused.ok && refused.error.toJSON()).toMatchObject({ code: "intercom_rejected" });
    for (const [input, field] of [
      [{ ticket_id: id, body: "x" }, "admin_id"],
      [{ ticket_id: id, body: "x", admin_id: "1", contact_id: contactId }, "admin_id"],
      [{ ticket_id: id, body: "x", contact_id: contactId, message_type: "note" }, "message_type"],
      [{ ticket_id: id, body: "  ", admin_id: "1" }, "body"],
    ] as const) {
      const result = await replyToTicket.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", field });
    }
  });
});

describe("SearchTickets", () => {
  it("streams every match one page at a time, and HTTP-sized pages carry the query", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await c.workspace("POST", "/clock", { advance: 60 });
      ids.push(unwrap(await createTicket.run(c.intercom, { ticket_type_id: bug.id, contact_id: contactId, ticket_attributes: { Priority: option(i % 2 === 0 ? "High" : "Low") } })).id);
    }
    unwrap(await createTicket.run(c.intercom, { ticket_type_id: refund.id, contact_id: contactId, ticket_attributes: { Amount: 1 } }));
    await c.resetCalls();
    const query = { operator: "AND" as const, value: [{ field: "ticket_type_id", operator: "=" as const, value: bug.id }, { field: "state", operator: "=" as const, value: "submitted" }] };
    const found = await all(unwrap(await searchTickets.run(c.intercom, { query, sort: { field: "created_at", order: "ascending" } })));
    expect(found.map((t) => t.id)).toEqual(ids);
    for (const ticket of found) expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /tickets/search": 1 } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = unwrap(await searchTickets.paged.page(c.intercom, { query, sort: { field: "created_at", order: "ascending" } }, { pageSize: 2, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) expect(cursor).toMatch(/^tickets\./);
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const high = `ticket_attribute.${ticketsOf(c.em.workspace).attributeByName(bug, "Priority")?.id ?? ""}`;
    const highOnes = await all(unwrap(await searchTickets.run(c.intercom, { query: { field: high, operator: "=", value: option("High") } })));
    expect(highOnes.map((t) => t.id).sort()).toEqual([ids[0], ids[2], ids[4]].sort());
    const bad = await searchTickets.run(c.intercom, { query: { field: "state", operator: "=", value: "open" } });
    // A query Intercom refuses fails the walk with Intercom's words.
    await expect(all(unwrap(bad))).rejects.toMatchObject({ code: "intercom_rejected" });
  });
});
