import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import type { TicketTypeRecord } from "../ticket-model.js";
import { ticketsOf } from "../ticket-store.js";

let em: TestEmulator;
let bug: TicketTypeRecord;
let refund: TicketTypeRecord;
let contactId: string;

beforeEach(async () => {
  em = await startTestEmulator();
  seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
  const types = [...ticketsOf(em.workspace).types.values()];
  bug = types.find((t) => t.name === "Bug report") as TicketTypeRecord;
  refund = types.find((t) => t.name === "Refund request") as TicketTypeRecord;
  contactId = em.workspace.insertContact({ role: "user", email: "s@example.com" }).id;
});
afterEach(async () => {
  await em.close();
});

function priority(label: string): string {
  return ticketsOf(em.workspace).attributeByName(bug, "Priority")?.list_options?.find((o) => o.label === label)?.id ?? "";
}

async function createBug(title: string, level = "Low", extra: Record<string, unknown> = {}): Promise<string> {
  const r = await em.request("POST", "/tickets", { ticket_type_id: bug.id, contacts: [{ id: contactId }], ticket_attributes: { _default_title_: title, Priority: priority(level) }, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body as { id: string }).id;
}

async function search(query: unknown, extra: Record<string, unknown> = {}): Promise<{ ids: string[]; body: Record<string, unknown> }> {
  const r = await em.request("POST", "/tickets/search", { query, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const body = r.body as { tickets: Array<{ id: string }> };
  return { ids: body.tickets.map((t) => t.id), body: r.body as Record<string, unknown> };
}

describe("ticket search", () => {
  it("finds tickets by state, type, category, attributes, assignee and open, in nested groups", async () => {
    em.workspace.clock.set(1_700_000_000, { frozen: true });
    const a = await createBug("Login fails", "High");
    em.workspace.clock.advance(10);
    const b = await createBug("Slow export", "Low");
    em.workspace.clock.advance(10);
    const c = (await em.request("POST", "/tickets", { ticket_type_id: refund.id, contacts: [{ id: contactId }], ticket_attributes: { Amount: 40, "Order number": 77 } })).body as { id: string };
    const inProgress = bug.state_ids.find((s) => ticketsOf(em.workspace).states.get(s)?.category === "in_progress") ?? "";
    const admin = [...em.workspace.admins.keys()].find((id) => id !== em.workspace.ownerAdminId) ?? "";
    em.workspace.clock.advance(10);
    await em.request("PUT", `/tickets/${b}`, { ticket_state_id: inProgress, assignee_id: admin, admin_id: Number(admin) });
    await em.request("PUT", `/tickets/${c.id}`, { open: false });
    const attribute = (name: string): string => `ticket_attribute.${ticketsOf(em.workspace).attributeByName(name === "Amount" || name === "Order number" ? refund : bug, name)?.id ?? ""}`;

    expect((await search({ field: "state", operator: "=", value: "submitted" })).ids.sort()).toEqual([a, c.id].sort());
    expect((await search({ field: "state", operator: "IN", value: ["in_progress", "resolved"] })).ids).toEqual([b]);
    expect((await search({ field: "ticket_type_id", operator: "=", value: refund.id })).ids).toEqual([c.id]);
    expect((await search({ field: "category", operator: "=", value: "task" })).ids).toEqual([c.id]);
    expect((await search({ field: "category", operator: "=", value: "request" })).ids.sort()).toEqual([a, b].sort());
    expect((await search({ field: "title", operator: "~", value: "login" })).ids).toEqual([a]);
    expect((await search({ field: attribute("Priority"), operator: "=", value: priority("High") })).ids).toEqual([a]);
    expect((await search({ field: attribute("Amount"), operator: ">", value: 39.5 })).ids).toEqual([c.id]);
    expect((await search({ field: "admin_assignee_id", operator: "=", value: admin })).ids).toEqual([b]);
    expect((await search({ field: "teammate_ids", operator: "=", value: admin })).ids).toEqual([b]);
    expect((await search({ field: "open", operator: "=", value: false })).ids).toEqual([c.id]);
    expect((await search({ field: "contact_ids", operator: "=", value: contactId })).ids).toHaveLength(3);
    const nested = await search({ operator: "AND", value: [
      { operator: "OR", value: [{ field: "state", operator: "=", value: "in_progress" }, { field: "title", operator: "^", value: "login" }] },
      { field: "open", operator: "=", value: true },
    ] });
    expect(nested.ids.sort()).toEqual([a, b].sort());
    // Default order: most recently updated first.
    expect((await search({ field: "created_at", operator: ">", value: 1_600_000_000 })).ids).toEqual([c.id, b, a]);
  });

  it("matches created_at and updated_at by calendar day in the workspace's time zone, >= and <= on created_at only", async () => {
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { timezone: "Pacific/Kiritimati" });
    // 2024-03-10T09:59:59Z is 23:59:59 on the 10th in UTC+14; ten seconds later it is the 11th there.
    em.workspace.clock.set(1_710_064_799, { frozen: true });
    const late = await createBug("Late");
    em.workspace.clock.advance(10);
    const next = await createBug("Next day");
    const day10 = 1_710_000_000; // 2024-03-10T16:00+14:00
    expect((await search({ field: "created_at", operator: "=", value: day10 })).ids).toEqual([late]);
    expect((await search({ field: "created_at", operator: ">", value: day10 })).ids).toEqual([next]);
    expect((await search({ field: "created_at", operator: ">=", value: day10 })).ids).toEqual([next, late]);
    expect((await search({ field: "created_at", operator: "<=", value: day10 })).ids).toEqual([late]);
    expect((await search({ field: "created_at", operator: "<", value: day10 + 86_400 })).ids).toEqual([late]);
    expect((await search({ field: "updated_at", operator: "=", value: day10 + 86_400 })).ids).toEqual([next]);
    const refused = await em.request("POST", "/tickets/search", { query: { field: "updated_at", operator: ">=", value: day10 } });
    expect(refused).toMatchObject({ status: 400, body: { errors: [{ code: "parameter_invalid", field: "updated_at" }] } });
  });

  it("shows a created or updated ticket only after the search delay", async () => {
    em.workspace.clock.set(1_700_000_000, { frozen: true });
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { search_delay: 180 });
    const id = await createBug("Hidden for a while");
    const submitted = { field: "state", operator: "=", value: "submitted" };
    expect((await search(submitted)).ids).toEqual([]);
    em.workspace.clock.advance(179);
    expect((await search(submitted)).ids).toEqual([]);
    em.workspace.clock.advance(1);
    expect((await search(submitted)).ids).toEqual([id]);
    const resolved = bug.state_ids.find((s) => ticketsOf(em.workspace).states.get(s)?.category === "resolved") ?? "";
    await em.request("PUT", `/tickets/${id}`, { ticket_state_id: resolved });
    // Search still shows the version it indexed until the delay has passed.
    const before = await search(submitted);
    expect(before.ids).toEqual([id]);
    expect((before.body.tickets as Array<{ ticket_state: { category: string } }>)[0]?.ticket_state.category).toBe("submitted");
    em.workspace.clock.advance(180);
    expect((await search(submitted)).ids).toEqual([]);
    expect((await search({ field: "state", operator: "=", value: "resolved" })).ids).toEqual([id]);
  });

  it("answers a ticket.list, 20 a page by default, paged by the SDK", async () => {
    em.workspace.clock.set(1_700_000_000, { frozen: true });
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      em.workspace.clock.advance(1);
      ids.push(await createBug(`Ticket ${i}`));
    }
    const first = await search({ field: "created_at", operator: ">", value: 0 });
    expect(first.body).toMatchObject({ type: "ticket.list", total_count: 23, pages: { type: "pages", page: 1, per_page: 20, total_pages: 2 } });
    expect(first.ids).toHaveLength(20);
    const seen: string[] = [];
    const pager = await em.sdk().tickets.search({ query: { field: "created_at", operator: ">", value: "0" }, pagination: { per_page: 5 } });
    for await (const ticket of pager) seen.push(ticket?.id ?? "");
    expect(seen).toEqual([...ids].reverse());
  });

  it("refuses unknown fields, operators and values, naming them", async () => {
    const cases: Array<[unknown, string]> = [
      [{ field: "priority", operator: "=", value: "x" }, "priority"],
      [{ field: "state", operator: "=", value: "open" }, "state"],
      [{ field: "state", operator: ">", value: "submitted" }, "state"],
      [{ field: "open", operator: "=", value: "maybe" }, "open"],
      [{ field: "category", operator: "=", value: "Customer" }, "category"],
      [{ field: "ticket_attribute.999999", operator: "=", value: "x" }, "ticket_attribute.999999"],
      [{ field: "created_at", operator: "~", value: 5 }, "created_at"],
    ];
    for (const [query, field] of cases) {
      const r = await em.request("POST", "/tickets/search", { query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ code: "parameter_invalid", field }] });
    }
  });
});
