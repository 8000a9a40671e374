import { afterEach, describe, expect, it } from "vitest";
import type { Ticket } from "../contract/catalogue/tickets.js";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { serializeTicket } from "../emulator/ticket-serialize.js";
import { ticketsOf } from "../emulator/ticket-store.js";
import { createTicket } from "../emulator/ticket-writes.js";
import type { TicketTypeRecord } from "../emulator/ticket-model.js";
import { createIntercomTransport } from "../intercom/index.js";
import { countCalls } from "./call-counter.js";
import { filtersKey, parseSubscriptionFilters, passesFilters, searchConditions, type TriggerFilterSpec } from "./filters.js";
import { TRIGGERS } from "./registry.js";

const byTag: TriggerFilterSpec<{ tags: string[] }> = { type: "id", title: "Tag", description: "Only events with this tag.", picker: "tags", values: (event) => event.tags };
const byTeam: TriggerFilterSpec<{ tags: string[] }> = { type: "id", title: "Team", description: "Only this team's.", values: () => ["5"], searchField: "team_assignee_id" };
const specs = { tag_id: byTag, team_id: byTeam };

describe("subscription filters", () => {
  it("takes the filters a trigger declares, each value an Intercom id, and nothing else, naming the field", () => {
    expect(parseSubscriptionFilters("TrigX", specs, undefined)).toEqual({ ok: true, value: {} });
    expect(parseSubscriptionFilters("TrigX", specs, null)).toEqual({ ok: true, value: {} });
    expect(parseSubscriptionFilters("TrigX", specs, { tag_id: "17", team_id: "5" })).toEqual({ ok: true, value: { tag_id: "17", team_id: "5" } });
    const unknown = parseSubscriptionFilters("TrigX", specs, { admin_id: "1" });
    expect(unknown).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters.admin_id" } });
    expect(unknown.ok ? "" : unknown.error.message).toContain("TrigX takes tag_id, team_id");
    const none = parseSubscriptionFilters("TrigX", {}, { tag_id: "1" });
    expect(none).toMatchObject({ ok: false, error: { field: "filters.tag_id" } });
    expect(none.ok ? "" : none.error.message).toContain("takes no filters");
    expect(parseSubscriptionFilters("TrigX", specs, { tag_id: "../x" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters.tag_id" } });
    expect(parseSubscriptionFilters("TrigX", specs, { tag_id: 17 })).toMatchObject({ ok: false, error: { field: "filters.tag_id" } });
    expect(parseSubscriptionFilters("TrigX", specs, { tag_id: "" })).toMatchObject({ ok: false, error: { field: "filters.tag_id" } });
    expect(parseSubscriptionFilters("TrigX", specs, ["17"])).toMatchObject({ ok: false, error: { field: "filters" } });
    // A face with flat parameters names them as they are (a query parameter).
    expect(parseSubscriptionFilters("TrigX", specs, { tag_id: "a b" }, (name) => name)).toMatchObject({ ok: false, error: { field: "tag_id" } });
  });

  it("passes an event only when every filter set is one of its values; keys and search conditions are canonical", () => {
    expect(passesFilters(specs, { tags: ["17", "18"] }, {})).toBe(true);
    expect(passesFilters(specs, { tags: ["17", "18"] }, { tag_id: "18" })).toBe(true);
    expect(passesFilters(specs, { tags: ["17"] }, { tag_id: "18" })).toBe(false);
    expect(passesFilters(specs, { tags: ["17"] }, { tag_id: "17", team_id: "6" })).toBe(false);
    expect(passesFilters(specs, { tags: ["17"] }, { gone: "1" })).toBe(false);
    expect(filtersKey({ team_id: "5", tag_id: "17" })).toBe(filtersKey({ tag_id: "17", team_id: "5" }));
    expect(filtersKey({})).toBe("{}");
    expect(searchConditions(specs, { tag_id: "17", team_id: "5" })).toEqual([{ field: "team_assignee_id", operator: "=", value: "5" }]);
  });
});

describe("the ticket triggers' ticket type filter", () => {
  let em: TestEmulator | undefined;
  afterEach(async () => {
    await em?.close();
    em = undefined;
  });

  it("is declared with its picker, asks search for that type only, and lets only its tickets through, polled or pushed", async () => {
    expect(TRIGGERS.TrigNewTicket.filters).toMatchObject([{ name: "ticket_type_id", type: "id", title: "Ticket Type", picker: "ticket_types" }]);
    expect(TRIGGERS.TrigNewTicket.filters[0]?.description).toContain("type");
    expect(TRIGGERS.TrigTicketStateChanged.filters.map((f) => f.name)).toEqual(["ticket_type_id"]);
    expect(TRIGGERS.TrigNewLead.filters).toEqual([]);
    expect(TRIGGERS.TrigNewLead.parseFilters({ ticket_type_id: "1" })).toMatchObject({ ok: false, error: { field: "filters.ticket_type_id" } });

    em = await startTestEmulator({ workspaces: [{ token: "filter-token", timezone: "UTC", rateLimitPerMinute: 1_000_000 }] });
    const ws = em.workspace;
    ws.clock.set(1_796_000_000, { frozen: true });
    const store = ticketsOf(ws);
    const [bug, refund] = [store.createType({ name: "Bug" }), store.createType({ name: "Refund" })];
    const owner = ws.admins.get(ws.ownerAdminId);
    if (owner === undefined) throw new Error("no owner");
    const make = (type: TicketTypeRecord, n: number) =>
      createTicket(ws, { type, contacts: [ws.insertContact({ role: "user", email: `f${n}@example.com` }, { emit: false })], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner });
    const intercom = createIntercomTransport({ accessToken: em.token, baseUrl: em.baseUrl, maxRetries: 0 });
    const trigger = TRIGGERS.TrigNewTicket;
    const filters = { ticket_type_id: bug.id };
    const baseline = await trigger.scan(intercom, [null], { lookbackSeconds: 600 }, filters);
    if (!baseline.ok || !baseline.value.results[0]?.ok) throw new Error("baseline failed");
    const cursor = baseline.value.results[0].cursor;
    ws.clock.advance(10);
    const bugs = Array.from({ length: 3 }, (_, i) => make(bug, i).id);
    for (let i = 0; i < 200; i++) make(refund, 100 + i); // over a page of the other type
    const counted = countCalls(intercom);
    const scanned = await trigger.scan(counted.transport, [cursor], { lookbackSeconds: 600 }, filters);
    if (!scanned.ok || !scanned.value.results[0]?.ok) throw new Error("scan failed");
    expect(scanned.value.results[0].events.map((e) => (e.payload as Ticket).id)).toEqual(bugs);
    expect(counted.calls()).toBe(1); // search asked for the type: one page, not two
    const unfiltered = await trigger.scan(intercom, [cursor], { lookbackSeconds: 600 });
    expect(unfiltered.ok && unfiltered.value.results[0]?.ok ? unfiltered.value.results[0].events.length : 0).toBe(203);

    const pushed = await trigger.fromPush(serializeTicket(ws, make(refund, 999)), intercom);
    if (!pushed.ok || pushed.value === null) throw new Error("the push made no event");
    expect(trigger.passes(pushed.value.payload, filters)).toBe(false);
    expect(trigger.passes(pushed.value.payload, { ticket_type_id: refund.id })).toBe(true);
    expect(trigger.passes(pushed.value.payload, {})).toBe(true);
  });
});

describe("the conversation and tag triggers' filters", () => {
  it("TrigConversationAssigned takes an admin and a team, TrigTagAddedToContact a tag, each matched on the event", () => {
    const assigned = TRIGGERS.TrigConversationAssigned;
    expect(assigned.filters.map((f) => [f.name, f.picker])).toEqual([["admin_id", "admins"], ["team_id", "teams"]]);
    const event = { id: "1", admin_assignee_id: 991200, team_assignee_id: null };
    expect(assigned.passes(event, { admin_id: "991200" })).toBe(true);
    expect(assigned.passes(event, { admin_id: "7" })).toBe(false);
    expect(assigned.passes(event, { team_id: "5" })).toBe(false);
    expect(assigned.passes({ ...event, team_assignee_id: 5 }, { admin_id: "991200", team_id: "5" })).toBe(true);
    expect(assigned.parseFilters({ tag_id: "1" })).toMatchObject({ ok: false, error: { field: "filters.tag_id" } });
    const tagged = TRIGGERS.TrigTagAddedToContact;
    expect(tagged.filters.map((f) => [f.name, f.picker])).toEqual([["tag_id", "tags"]]);
    expect(tagged.passes({ tag: { id: "17" } }, { tag_id: "17" })).toBe(true);
    expect(tagged.passes({ tag: { id: "18" } }, { tag_id: "17" })).toBe(false);
  });
});
