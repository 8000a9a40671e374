import { afterEach, describe, expect, it } from "vitest";
import type { TicketStateCategory, TicketRecord, TicketTypeRecord } from "../emulator/ticket-model.js";
import { serializeTicket } from "../emulator/ticket-serialize.js";
import { ticketsOf } from "../emulator/ticket-store.js";
import { createTicket, updateTicket } from "../emulator/ticket-writes.js";
import { createIntercomTransport } from "../intercom/index.js";
import { TRIGGERS, triggersForTopic } from "./registry.js";
import { startTriggerFixture, type TriggerFixture } from "./testing/harness.js";
import { describeTriggerScenarios } from "./testing/scenarios.js";
import { ticketStateChanges } from "./testing/ticket-events.js";

// Exactly-once for the ticket triggers under the scenarios of the first four: a burst in one
// second, more than a page between polls, midnight at UTC−05:00 and UTC+13:00, a 180 s search
// delay, a restart from the stored cursor, and a push and a poll of the same event.

let f: TriggerFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const T0 = 1_796_000_000; // 2026-11-29T23:33:20Z

function fixture(): TriggerFixture {
  if (f === undefined) throw new Error("no fixture");
  return f;
}

function ticketType(): TicketTypeRecord {
  const store = ticketsOf(fixture().em.workspace);
  return [...store.types.values()].find((t) => t.name === "Bug report") ?? store.createType({ name: "Bug report" });
}

function newTicket(n: number): TicketRecord {
  const ws = fixture().em.workspace;
  const contact = ws.insertContact({ role: "user", email: `t${n}-${ws.clock.now()}@example.com` }, { emit: false });
  const owner = ws.admins.get(ws.ownerAdminId);
  if (owner === undefined) throw new Error("no owner");
  return createTicket(ws, { type: ticketType(), contacts: [contact], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner });
}

function setState(id: string, category: TicketStateCategory): TicketRecord {
  const ws = fixture().em.workspace;
  const store = ticketsOf(ws);
  const ticket = store.tickets.get(id);
  const owner = ws.admins.get(ws.ownerAdminId);
  if (ticket === undefined || owner === undefined) throw new Error(`no ticket ${id}`);
  const stateId = ticketType().state_ids.find((s) => store.states.get(s)?.category === category);
  if (stateId === undefined) throw new Error(`no ${category} state`);
  return updateTicket(ws, ticket, { author: owner, stateId });
}

function retitle(id: string, title: string): TicketRecord {
  const ws = fixture().em.workspace;
  const store = ticketsOf(ws);
  const ticket = store.tickets.get(id);
  const owner = ws.admins.get(ws.ownerAdminId);
  if (ticket === undefined || owner === undefined) throw new Error(`no ticket ${id}`);
  const title_ = store.attributeByName(ticketType(), "_default_title_");
  return updateTicket(ws, ticket, { author: owner, attributes: { [title_?.id ?? "_default_title_"]: title } });
}

function ids(payloads: Array<Record<string, unknown>>): string[] {
  return payloads.map((p) => String(p.id));
}

function states(payloads: Array<Record<string, unknown>>): string[] {
  return payloads.map((p) => `${String(p.id)}:${(p.ticket_state as { category: string }).category}`);
}

function expectExactlyOnce(delivered: string[], expected: string[]): void {
  expect(new Set(delivered).size, "no event delivered twice").toBe(delivered.length);
  expect([...delivered].sort()).toEqual([...expected].sort());
}

describe("TrigNewTicket", () => {
  it("starts from now and fires once for each new ticket, with the ticket as Intercom answers it", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const before = newTicket(0);
    const sub = await f.subscribe("TrigNewTicket");
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    await f.advanceClock(30);
    const ticket = newTicket(1);
    setState(before.id, "in_progress"); // an old ticket's change is not a new ticket
    await f.poll(sub.id);
    await f.advanceClock(120);
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(ids(payloads)).toEqual([ticket.id]);
    expect(payloads[0]).toMatchObject({ type: "ticket", id: ticket.id, created_at: T0 + 30, ticket_state: { category: "submitted" }, ticket_type: { name: "Bug report" } });
  });

  it("delivers 400 tickets created within one second exactly once, across pages", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    await f.advanceClock(5);
    const created = Array.from({ length: 400 }, (_, i) => newTicket(i).id);
    const first = await f.poll(sub.id);
    expect(first).toEqual({ emitted: 400, calls: 3 });
    await f.advanceClock(120);
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    expectExactlyOnce(ids(await f.drain(sub.id)), created);
  });

  it("keeps more than a page of tickets between polls spread over time, oldest first", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    const created: string[] = [];
    for (let i = 0; i < 320; i++) {
      await f.advanceClock(i % 3 === 0 ? 1 : 0);
      created.push(newTicket(i).id);
    }
    await f.poll(sub.id);
    const delivered = ids(await f.drain(sub.id));
    expectExactlyOnce(delivered, created);
    const times = delivered.map((id) => ticketsOf(fixture().em.workspace).tickets.get(id)?.created_at ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  for (const [zone, offsetMinutes, label] of [
    ["America/New_York", -300, "UTC−05:00"],
    ["Pacific/Tongatapu", 780, "UTC+13:00"],
  ] as const) {
    it(`loses nothing around midnight in a workspace at ${label} (${zone})`, async () => {
      f = await startTriggerFixture({ timezone: zone });
      const localMidnight = Math.floor((T0 + offsetMinutes * 60) / 86_400) * 86_400 - offsetMinutes * 60 + 86_400;
      await f.setClock(localMidnight - 90);
      const sub = await f.subscribe("TrigNewTicket");
      await f.poll(sub.id);
      const created: string[] = [];
      for (const step of [10, 40, 39, 1, 1, 20, 30]) {
        await f.advanceClock(step); // crosses local midnight
        created.push(newTicket(created.length).id);
        await f.poll(sub.id);
      }
      await f.advanceClock(86_400 + 3_600);
      created.push(newTicket(99).id);
      await f.poll(sub.id);
      expect(ids(await f.drain(sub.id))).toEqual(created);
    });
  }

  it("waits out a 180 s search delay without losing or repeating a ticket", async () => {
    f = await startTriggerFixture({ searchDelaySeconds: 180 });
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    await f.advanceClock(60);
    const early = newTicket(1).id;
    await f.advanceClock(100);
    const late = newTicket(2).id;
    await f.poll(sub.id); // neither is searchable yet
    expect(await f.drain(sub.id)).toEqual([]);
    for (let i = 0; i < 6; i++) {
      await f.advanceClock(60);
      await f.poll(sub.id);
    }
    expectExactlyOnce(ids(await f.drain(sub.id)), [early, late]);
  });

  it("goes on after a restart from the stored cursor: nothing lost, nothing repeated", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const a = newTicket(1).id;
    await f.poll(sub.id);
    const restarted = f.restartEngine();
    await f.advanceClock(10);
    const b = newTicket(2).id;
    await f.poll(sub.id, restarted);
    await f.advanceClock(120);
    await f.poll(sub.id, restarted);
    expectExactlyOnce(ids(await f.drain(sub.id, restarted)), [a, b]);
  });

  it("delivers a ticket pushed as ticket.created and polled again once", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const ticket = newTicket(1);
    expect(triggersForTopic("ticket.created").map((t) => t.id)).toEqual(["TrigNewTicket"]);
    const intercom = createIntercomTransport({ accessToken: f.em.token, baseUrl: f.em.baseUrl, maxRetries: 0 });
    const pushed = await TRIGGERS.TrigNewTicket.fromPush(serializeTicket(f.em.workspace, ticket), intercom);
    if (!pushed.ok || pushed.value === null) throw new Error("the push made no event");
    expect(await f.engine.append(sub.id, [pushed.value])).toBe(1);
    await f.advanceClock(120);
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    expect(ids(await f.drain(sub.id))).toEqual([ticket.id]);
    expect(await TRIGGERS.TrigNewTicket.fromPush({ type: "conversation" }, intercom)).toMatchObject({ ok: false, error: { code: "invalid_input", field: "data.item" } });
  });
});

describe("TrigNewTicket and Intercom's pushes", () => {
  it("delivers a ticket pushed through the service's push route once, and recovers by the next poll one whose push was lost at Intercom's retry", async () => {
    f = await startTriggerFixture({}, {}, { push: true, webhookRetryDelayMs: 1 });
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewTicket");
    await f.poll(sub.id);
    const ws = f.em.workspace;
    const hook = await f.em.control("POST", `/workspaces/${ws.id}/webhooks`, { url: f.pushUrl, topics: ["ticket.created"] });
    expect(hook.status).toBe(201);
    await f.advanceClock(10);
    const pushed = newTicket(1).id;
    for (let i = 0; i < 400 && (await f.store.pendingEvents(sub.id, 10)).length === 0; i++) {
      await f.em.emulator.webhooks.idle();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(ids((await f.store.pendingEvents(sub.id, 10)).map((e) => e.payload as Record<string, unknown>))).toEqual([pushed]);
    // Now nobody listens where Intercom pushes: the first attempt and its one retry both fail.
    expect((await f.em.control("DELETE", `/workspaces/${ws.id}/webhooks/${(hook.body as { id: string }).id}`)).status).toBeLessThan(300);
    const down = await f.em.control("POST", `/workspaces/${ws.id}/webhooks`, { url: f.pushUrl!.replace(/:\d+\//, ":9/"), topics: ["ticket.created"] });
    expect(down.status).toBe(201);
    await f.advanceClock(10);
    const lost = newTicket(2).id;
    await f.em.emulator.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await f.em.emulator.webhooks.idle();
    expect(ids((await f.store.pendingEvents(sub.id, 10)).map((e) => e.payload as Record<string, unknown>))).toEqual([pushed]);
    await f.advanceClock(120);
    expect(await f.poll(sub.id)).toMatchObject({ emitted: 1 });
    expect(ids(await f.drain(sub.id))).toEqual([pushed, lost]);
  });
});

describe("TrigTicketStateChanged", () => {
  it("fires once per (ticket, state) change: never for the creation or an edit that keeps the state; going back is a new change", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const old = newTicket(0);
    const sub = await f.subscribe("TrigTicketStateChanged");
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    await f.advanceClock(10);
    newTicket(1); // a creation is TrigNewTicket's
    setState(old.id, "in_progress");
    await f.advanceClock(10);
    retitle(old.id, "Still in progress"); // moves updated_at, not the state
    await f.poll(sub.id);
    await f.advanceClock(30);
    retitle(old.id, "Edited again");
    await f.poll(sub.id);
    await f.advanceClock(30);
    setState(old.id, "waiting_on_customer");
    await f.advanceClock(1);
    setState(old.id, "in_progress"); // two changes between polls: the poll sees the latest
    await f.poll(sub.id);
    await f.advanceClock(700); // past the look-back window
    retitle(old.id, "Much later");
    await f.poll(sub.id);
    await f.poll(sub.id);
    expect(states(await f.drain(sub.id))).toEqual([`${old.id}:in_progress`, `${old.id}:in_progress`]);
  });

  it("delivers 300 state changes within one second exactly once, across pages", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const tickets = Array.from({ length: 300 }, (_, i) => newTicket(i).id);
    const sub = await f.subscribe("TrigTicketStateChanged");
    await f.poll(sub.id);
    await f.advanceClock(5);
    for (const id of tickets) setState(id, "resolved");
    expect(await f.poll(sub.id)).toEqual({ emitted: 300, calls: 2 });
    await f.advanceClock(120);
    // The same window read again: a ticket keeps its id, so seen ids cannot be left out of the query.
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 2 });
    expectExactlyOnce(ids(await f.drain(sub.id)), tickets);
  });

  for (const [zone, offsetMinutes, label] of [
    ["America/New_York", -300, "UTC−05:00"],
    ["Pacific/Tongatapu", 780, "UTC+13:00"],
  ] as const) {
    it(`loses nothing around midnight in a workspace at ${label} (${zone})`, async () => {
      f = await startTriggerFixture({ timezone: zone });
      const localMidnight = Math.floor((T0 + offsetMinutes * 60) / 86_400) * 86_400 - offsetMinutes * 60 + 86_400;
      await f.setClock(localMidnight - 200);
      const tickets = Array.from({ length: 7 }, (_, i) => newTicket(i).id);
      await f.advanceClock(100);
      const sub = await f.subscribe("TrigTicketStateChanged");
      await f.poll(sub.id);
      const changed: string[] = [];
      for (const [index, step] of [10, 40, 39, 1, 1, 20, 30].entries()) {
        await f.advanceClock(step); // crosses local midnight
        const id = tickets[index] ?? "";
        setState(id, "in_progress");
        changed.push(`${id}:in_progress`);
        await f.poll(sub.id);
      }
      expect(states(await f.drain(sub.id))).toEqual(changed);
    });
  }

  it("waits out a 180 s search delay, and goes on after a restart from the stored cursor", async () => {
    f = await startTriggerFixture({ searchDelaySeconds: 180 });
    await f.setClock(T0);
    const [a, b] = [newTicket(1).id, newTicket(2).id];
    await f.advanceClock(200);
    const sub = await f.subscribe("TrigTicketStateChanged");
    await f.poll(sub.id);
    await f.advanceClock(60);
    setState(a, "in_progress");
    await f.advanceClock(100);
    setState(b, "waiting_on_customer");
    await f.poll(sub.id); // neither change is searchable yet
    expect(await f.drain(sub.id)).toEqual([]);
    const restarted = f.restartEngine();
    for (let i = 0; i < 6; i++) {
      await f.advanceClock(60);
      await f.poll(sub.id, restarted);
    }
    expect(states(await f.drain(sub.id, restarted))).toEqual([`${a}:in_progress`, `${b}:waiting_on_customer`]);
  });

  it("delivers a change pushed as ticket.state.updated and polled again once; a pushed creation is no change", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const ticket = newTicket(1);
    const sub = await f.subscribe("TrigTicketStateChanged");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const changed = setState(ticket.id, "resolved");
    retitle(ticket.id, "After the change"); // the poll sees a later version of the same state
    const intercom = createIntercomTransport({ accessToken: f.em.token, baseUrl: f.em.baseUrl, maxRetries: 0 });
    const trigger = TRIGGERS.TrigTicketStateChanged;
    expect(await trigger.fromPush(serializeTicket(f.em.workspace, ticket), intercom)).toEqual({ ok: true, value: null });
    const pushed = await trigger.fromPush(serializeTicket(f.em.workspace, changed), intercom);
    if (!pushed.ok || pushed.value === null) throw new Error("the push made no event");
    expect(await f.engine.append(sub.id, [pushed.value])).toBe(1);
    await f.advanceClock(120);
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    expect(states(await f.drain(sub.id))).toEqual([`${ticket.id}:resolved`]);
  });
});

describe("the ticket type filter, per subscription", () => {
  it("scans each set of filters apart, shares a scan within one, and hands each subscription only its type's events, polled or pushed", async () => {
    f = await startTriggerFixture({}, {}, { push: true });
    await f.setClock(T0);
    const store = ticketsOf(f.em.workspace);
    const bug = ticketType();
    const refund = store.createType({ name: "Refund" });
    const ws = f.em.workspace;
    const owner = ws.admins.get(ws.ownerAdminId);
    if (owner === undefined) throw new Error("no owner");
    const refundTicket = (n: number) =>
      createTicket(ws, { type: refund, contacts: [ws.insertContact({ role: "user", email: `r${n}@example.com` }, { emit: false })], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner });

    const subscribe = async (filters: unknown) => {
      const made = await f!.runtime.subscribe(f!.connectionId, "TrigNewTicket", { filters });
      if (!made.ok) throw new Error(made.error.message);
      return made.value;
    };
    const [bugs1, bugs2, refunds, all] = [await subscribe({ ticket_type_id: bug.id }), await subscribe({ ticket_type_id: bug.id }), await subscribe({ ticket_type_id: refund.id }), await subscribe(undefined)];
    expect(bugs1.filters).toEqual({ ticket_type_id: bug.id });
    expect(all.filters).toEqual({});
    // Bad filters are refused naming the field, with nothing stored.
    const before = (await f.store.listSubscriptions()).length;
    expect(await f.runtime.subscribe(f.connectionId, "TrigNewTicket", { filters: { ticket_type_id: "a/b" } })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters.ticket_type_id" } });
    expect(await f.runtime.subscribe(f.connectionId, "TrigNewTicket", { filters: { team_id: "1" } })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "filters.team_id" } });
    expect(await f.runtime.subscribe(f.connectionId, "TrigNewLead", { filters: { ticket_type_id: "1" } })).toMatchObject({ ok: false, error: { field: "filters.ticket_type_id" } });
    expect(await f.store.listSubscriptions()).toHaveLength(before);

    // The two bug subscriptions share one scan; the refund and the unfiltered ones have their own.
    expect(await f.engine.poll(bugs1.id)).toMatchObject({ ok: true, value: { shared: 2, calls: 1 } });
    expect(await f.engine.poll(refunds.id)).toMatchObject({ ok: true, value: { shared: 1, calls: 1 } });
    expect(await f.engine.poll(all.id)).toMatchObject({ ok: true, value: { shared: 1, calls: 1 } });

    await f.advanceClock(10);
    const polledBug = newTicket(1).id;
    const polledRefund = refundTicket(1).id;
    await f.advanceClock(120);
    for (const sub of [bugs1, refunds, all]) await f.poll(sub.id);

    // Pushes go only to the subscriptions whose filters they pass; the poll that sees them again adds nothing.
    const hooked = await f.em.control("POST", `/workspaces/${ws.id}/webhooks`, { url: f.pushUrl, topics: ["ticket.created"] });
    expect(hooked.status).toBe(201);
    await f.advanceClock(10);
    const pushedBug = newTicket(2).id;
    const pushedRefund = refundTicket(2).id;
    for (let i = 0; i < 400 && (await f.store.pendingEvents(all.id, 100)).length < 4; i++) {
      await f.em.emulator.webhooks.idle();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(ids((await f.store.pendingEvents(refunds.id, 100)).map((e) => e.payload as Record<string, unknown>))).toEqual([polledRefund, pushedRefund]);
    await f.advanceClock(120);
    for (const sub of [bugs1, refunds, all]) await f.poll(sub.id);

    expect(ids(await f.drain(bugs1.id))).toEqual([polledBug, pushedBug]);
    expect(ids(await f.drain(bugs2.id))).toEqual([polledBug, pushedBug]);
    expect(ids(await f.drain(refunds.id))).toEqual([polledRefund, pushedRefund]);
    expectExactlyOnce(ids(await f.drain(all.id)), [polledBug, polledRefund, pushedBug, pushedRefund]);
  });
});

// The generic suite the conversation triggers run under, with Intercom's pushes: the same change
// pushed and polled once, and a push lost at Intercom's one retry recovered by the next poll.
describeTriggerScenarios(ticketStateChanges);
