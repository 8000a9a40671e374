import { afterEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "./seed.js";
import { startTestEmulator, type TestEmulator } from "./testing/harness.js";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver.js";
import { TICKET_WEBHOOK_TOPICS, type TicketTypeRecord } from "./ticket-model.js";
import { ticketsOf } from "./ticket-store.js";

const SECRET = "ticket-hooks-secret";
let em: TestEmulator;
let hooks: WebhookReceiver | undefined;

afterEach(async () => {
  await em.close();
  await hooks?.close();
});

describe("ticket webhooks", () => {
  it("sends each ticket write's topic, signed, with the ticket as the API answers it; retries a failed delivery once", async () => {
    em = await startTestEmulator({ webhookRetryDelayMs: 50, workspaces: [{ token: "t-hooks", timezone: "UTC", clientSecret: SECRET }] });
    em.workspace.clock.set(1_700_000_000, { frozen: true });
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    // The first attempt of the first notification fails: Intercom's one retry delivers it.
    hooks = await startWebhookReceiver({ secret: SECRET, statuses: [500, 200] });
    const subscribed = await em.control("POST", `/workspaces/${em.workspace.id}/webhooks`, { url: hooks.url, topics: TICKET_WEBHOOK_TOPICS });
    expect(subscribed.status).toBe(201);

    const bug = [...ticketsOf(em.workspace).types.values()].find((t) => t.name === "Bug report") as TicketTypeRecord;
    const low = ticketsOf(em.workspace).attributeByName(bug, "Priority")?.list_options?.[0]?.id;
    const contact = em.workspace.insertContact({ role: "user", email: "h@example.com" }, { emit: false });
    const created = await em.request("POST", "/tickets", { ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { Priority: low } });
    const id = (created.body as { id: string }).id;
    const admin = [...em.workspace.admins.keys()].find((a) => a !== em.workspace.ownerAdminId) ?? "";
    const team = [...em.workspace.teams.keys()][0] ?? "";
    const inProgress = bug.state_ids.find((s) => ticketsOf(em.workspace).states.get(s)?.category === "in_progress") ?? "";
    await em.request("PUT", `/tickets/${id}`, { ticket_state_id: inProgress, assignee_id: admin });
    await em.request("PUT", `/tickets/${id}`, { assignee_id: team, ticket_attributes: { _default_title_: "Now titled" } });
    await em.request("PUT", `/tickets/${id}`, { ticket_state_id: inProgress });
    await em.request("POST", `/tickets/${id}/reply`, { type: "admin", message_type: "note", admin_id: admin, body: "Internal" });
    await em.request("POST", `/tickets/${id}/reply`, { type: "admin", message_type: "comment", admin_id: admin, body: "Hello" });
    const last = await em.request("POST", `/tickets/${id}/reply`, { type: "user", message_type: "comment", intercom_user_id: contact.id, body: "Thanks" });
    expect(last.status).toBe(200);

    // Eight notifications, the first one twice.
    const received = await hooks.waitFor(9);
    await em.emulator.webhooks.idle();
    const delivered = received.filter((h) => h.answered === 200);
    // The same state again is no change: one ticket.state.updated only.
    expect(delivered.map((h) => h.body.topic).sort()).toEqual([
      "ticket.admin.assigned", "ticket.admin.replied", "ticket.attribute.updated", "ticket.contact.replied", "ticket.created",
      "ticket.note.created", "ticket.state.updated", "ticket.team.assigned",
    ]);
    const first = received[0];
    expect(first?.answered).toBe(500);
    const retried = received.find((h) => h.body.id === first?.body.id && h !== first);
    expect(retried?.body).toMatchObject({ topic: "ticket.created", delivery_attempts: 2 });
    for (const hook of received) {
      expect(hook.signatureValid).toBe(true);
      expect(hook.body).toMatchObject({ type: "notification_event", app_id: em.workspace.id, data: { type: "notification_event_data", item: { type: "ticket", id } } });
    }
    const state = delivered.find((h) => h.body.topic === "ticket.state.updated")?.body as { data: { item: Record<string, unknown> }; created_at: number };
    expect(state.data.item).toMatchObject({ ticket_state: { category: "in_progress" }, admin_assignee_id: admin });
    expect(state.created_at).toBe(1_700_000_000);
    const createdItem = (delivered.find((h) => h.body.topic === "ticket.created")?.body as { data: { item: unknown } }).data.item;
    expect(createdItem).toEqual(created.body);
  });
});
