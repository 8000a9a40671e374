import { afterEach, describe, expect, it } from "vitest";
import { WEBHOOK_TOPICS, type WebhookTopic } from "./model.js";
import { defineCustomAttribute } from "./attributes/custom.js";
import { startTestEmulator, type TestEmulator } from "./testing/harness.js";
import { deadUrl, startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from "./testing/webhook-receiver.js";
import type { DeliveryRecord } from "./webhooks.js";

const SECRET = "webhook-test-secret";
let em: TestEmulator;
const receivers: WebhookReceiver[] = [];

async function setup(retryDelayMs = 50): Promise<void> {
  em = await startTestEmulator({ webhookRetryDelayMs: retryDelayMs, workspaces: [{ token: "hooks-token", timezone: "UTC", clientSecret: SECRET }] });
}

async function receiver(options: { secret?: string; statuses?: number[] } = {}): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver({ secret: options.secret ?? SECRET, ...(options.statuses === undefined ? {} : { statuses: options.statuses }) });
  receivers.push(r);
  return r;
}

async function subscribe(url: string, topics: readonly WebhookTopic[], workspaceId = em.workspace.id): Promise<{ id: string }> {
  const r = await em.control("POST", `/workspaces/${workspaceId}/webhooks`, { url, topics });
  expect(r.status).toBe(201);
  return r.body as { id: string };
}

async function deliveries(workspaceId = em.workspace.id): Promise<DeliveryRecord[]> {
  return ((await em.control("GET", `/workspaces/${workspaceId}/webhooks/deliveries`)).body as { deliveries: DeliveryRecord[] }).deliveries;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function byTopic(hooks: ReceivedHook[], topic: WebhookTopic): ReceivedHook {
  const hook = hooks.find((h) => h.body.topic === topic);
  if (hook === undefined) throw new Error(`no ${topic} delivery among ${hooks.map((h) => String(h.body.topic)).join(", ")}`);
  return hook;
}

afterEach(async () => {
  await em.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("webhooks", () => {
  it("sends signed notification_events carrying the contact or conversation as the API shows it", async () => {
    await setup();
    const hooks = await receiver();
    const subscription = await subscribe(hooks.url, WEBHOOK_TOPICS);
    expect(subscription).toMatchObject({ workspaceId: em.workspace.id, url: hooks.url, topics: [...WEBHOOK_TOPICS] });

    const user = (await em.request("POST", "/contacts", { role: "user", email: "ada@example.com", external_id: "u-1", name: "Ada" })).body as { id: string };
    const lead = (await em.request("POST", "/contacts", { role: "lead", email: "lead@example.com" })).body as { id: string };
    const createdUser = (await em.request("GET", `/contacts/${user.id}`)).body;
    const createdLead = (await em.request("GET", `/contacts/${lead.id}`)).body;
    const sdk = em.sdk();
    await sdk.contacts.update({ contact_id: user.id, name: "Ada Lovelace" });
    const updatedUser = (await em.request("GET", `/contacts/${user.id}`)).body;
    const message = await sdk.conversations.create({ from: { type: "user", id: user.id }, body: "Hello, I need help" });
    const conversation = (await em.request("GET", `/conversations/${message.conversation_id}`)).body as { id: string };

    const received = await hooks.waitFor(4);
    await em.emulator.webhooks.idle();
    expect(received.map((h) => h.body.topic).sort()).toEqual(["contact.lead.created", "contact.user.created", "contact.user.updated", "conversation.user.created"]);
    for (const hook of received) {
      expect(hook.signatureValid, String(hook.body.topic)).toBe(true);
      expect(hook.headers["x-hub-signature"]).toMatch(/^sha1=[0-9a-f]{40}$/);
      expect(hook.headers["content-type"]).toMatch(/^application\/json/);
      expect(hook.path).toBe("/hooks/intercom");
      expect(hook.body).toMatchObject({
        type: "notification_event",
        app_id: em.workspace.id,
        data: { type: "notification_event_data" },
        delivery_status: "pending",
        delivery_attempts: 1,
      });
      expect(hook.body.id).toMatch(/^notif_/);
      expect(hook.body.created_at).toBe(hook.body.first_sent_at);
    }
    expect(new Set(received.map((h) => h.body.id)).size).toBe(4);
    const item = (topic: WebhookTopic): unknown => (byTopic(received, topic).body.data as { item: unknown }).item;
    expect(item("contact.user.created")).toEqual(createdUser);
    expect(item("contact.lead.created")).toEqual(createdLead);
    expect(item("contact.user.updated")).toEqual(updatedUser);
    expect(item("contact.user.updated")).toMatchObject({ id: user.id, name: "Ada Lovelace" });
    expect(item("conversation.user.created")).toMatchObject({ type: "conversation", id: conversation.id });
    expect(item("conversation.user.created")).toEqual(conversation);

    // The control API logs each attempt.
    const log = await deliveries();
    expect(log).toHaveLength(4);
    expect(log.every((d) => d.status === 200 && d.attempt === 1 && d.error === null && d.subscriptionId === subscription.id)).toBe(true);
  });

  it("sends only the topics a subscription asked for, to the workspace it belongs to, signed with that workspace's secret", async () => {
    await setup();
    const leadsOnly = await receiver();
    await subscribe(leadsOnly.url, ["contact.lead.created"]);
    const other = await em.control("POST", "/workspaces", { token: "other-token", client_secret: "other-secret" });
    const otherId = (other.body as { id: string }).id;
    const otherHooks = await receiver({ secret: "other-secret" });
    await subscribe(otherHooks.url, WEBHOOK_TOPICS, otherId);

    const user = (await em.request("POST", "/contacts", { role: "user", email: "u@example.com" })).body as { id: string };
    await em.request("PUT", `/contacts/${user.id}`, { name: "Changed" });
    const lead = (await em.request("POST", "/contacts", { role: "lead", email: "l@example.com" })).body as { id: string };
    await em.request("PUT", `/contacts/${lead.id}`, { name: "Lead changed" });
    await em.emulator.webhooks.idle();
    expect(leadsOnly.received.map((h) => h.body.topic)).toEqual(["contact.lead.created"]);
    expect(leadsOnly.received[0]?.body.data).toMatchObject({ item: { id: lead.id, role: "lead" } });
    expect(otherHooks.received).toEqual([]);

    // The other workspace's events go to its own subscriber, signed with its own secret.
    const res = await fetch(`${em.baseUrl}/contacts`, {
      method: "POST",
      headers: { Authorization: "Bearer other-token", "Content-Type": "application/json" },
      body: JSON.stringify({ role: "user", email: "x@example.com" }),
    });
    expect(res.status).toBe(200);
    const [hook] = await otherHooks.waitFor(1);
    expect(hook?.signatureValid).toBe(true);
    expect(hook?.body).toMatchObject({ topic: "contact.user.created", app_id: otherId });
    expect(leadsOnly.received).toHaveLength(1);
  });

  it("retries a failed delivery exactly once, after the configured delay, with the same notification", async () => {
    await setup(50);
    const flaky = await receiver({ statuses: [500, 200] });
    await subscribe(flaky.url, ["contact.user.created"]);
    // A custom attribute named like the envelope's counter must not be taken for it.
    defineCustomAttribute(em.workspace, { name: "delivery_attempts", model: "contact", data_type: "integer" });
    await em.request("POST", "/contacts", { role: "user", email: "retry@example.com", custom_attributes: { delivery_attempts: 1 } });
    const [first, second] = await flaky.waitFor(2);
    await sleep(200);
    expect(flaky.received).toHaveLength(2);
    if (first === undefined || second === undefined) throw new Error("two deliveries expected");
    expect(second.at - first.at).toBeGreaterThanOrEqual(45);
    expect(second.body.id).toBe(first.body.id);
    expect([first.body.delivery_attempts, second.body.delivery_attempts]).toEqual([1, 2]);
    expect(second.body.first_sent_at).toBe(first.body.first_sent_at);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.body.data).toMatchObject({ item: { custom_attributes: { delivery_attempts: 1 } } });
    expect(first.signatureValid && second.signatureValid).toBe(true);
    expect((await deliveries()).map((d) => [d.attempt, d.status])).toEqual([[1, 500], [2, 200]]);
  });

  it("does not retry before the delay, and never a third time", async () => {
    await setup(400);
    const broken = await receiver({ statuses: [503] });
    await subscribe(broken.url, ["contact.lead.created"]);
    await em.request("POST", "/contacts", { role: "lead", email: "down@example.com" });
    await broken.waitFor(1);
    await sleep(200);
    expect(broken.received).toHaveLength(1);
    await broken.waitFor(2, 2_000);
    await sleep(800);
    expect(broken.received).toHaveLength(2);
    expect((await deliveries()).map((d) => [d.attempt, d.status])).toEqual([[1, 503], [2, 503]]);
  });

  it("makes exactly two attempts at a receiver that is down", async () => {
    await setup(50);
    const url = await deadUrl();
    await subscribe(url, ["contact.user.created"]);
    await em.request("POST", "/contacts", { role: "user", email: "nobody-home@example.com" });
    const deadline = Date.now() + 5_000;
    while ((await deliveries()).length < 2 && Date.now() < deadline) await sleep(20);
    await sleep(300);
    const log = await deliveries();
    expect(log.map((d) => d.attempt)).toEqual([1, 2]);
    expect(log.every((d) => d.status === null && typeof d.error === "string" && d.error !== "")).toBe(true);
    expect(log[1]?.notificationId).toBe(log[0]?.notificationId);
  });

  it("stops sending after unsubscribing; a workspace cannot remove another's subscription", async () => {
    await setup();
    const hooks = await receiver();
    const { id } = await subscribe(hooks.url, ["contact.lead.created"]);
    const other = await em.control("POST", "/workspaces", { token: "t2" });
    const otherId = (other.body as { id: string }).id;
    expect((await em.control("DELETE", `/workspaces/${otherId}/webhooks/${id}`)).status).toBe(404);
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/webhooks`)).body).toMatchObject({ subscriptions: [{ id }] });

    expect((await em.control("DELETE", `/workspaces/${em.workspace.id}/webhooks/${id}`)).body).toEqual({ deleted: true });
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/webhooks`)).body).toEqual({ subscriptions: [] });
    await em.request("POST", "/contacts", { role: "lead", email: "quiet@example.com" });
    await em.emulator.webhooks.idle();
    expect(hooks.received).toEqual([]);
  });

  it("refuses bad subscriptions with a 400 and adds nothing", async () => {
    await setup();
    const path = `/workspaces/${em.workspace.id}/webhooks`;
    for (const body of [
      { url: "not a url", topics: ["contact.user.created"] },
      { url: "http://127.0.0.1:9/hook", topics: [] },
      { url: "http://127.0.0.1:9/hook", topics: ["contact.deleted"] },
      { url: "http://127.0.0.1:9/hook" },
      { url: "http://127.0.0.1:9/hook", topics: ["contact.user.created"], extra: true },
    ]) {
      const r = await em.control("POST", path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ type: "error.list" });
    }
    expect((await em.control("GET", path)).body).toEqual({ subscriptions: [] });
    expect((await em.control("POST", "/workspaces/nope/webhooks", { url: "http://127.0.0.1:9/", topics: ["contact.user.created"] })).status).toBe(404);
  });

  it("drops pending retries when the emulator closes", async () => {
    await setup(300);
    const broken = await receiver({ statuses: [500] });
    await subscribe(broken.url, ["contact.user.created"]);
    await em.request("POST", "/contacts", { role: "user", email: "closing@example.com" });
    await broken.waitFor(1);
    await em.emulator.webhooks.idle();
    em.emulator.webhooks.close();
    await sleep(500);
    expect(broken.received).toHaveLength(1);
  });
  it("sends a contact_tag for each first tagging of a user or lead, and the surviving user with merged_from for a merge", async () => {
    await setup();
    const hooks = await receiver();
    await subscribe(hooks.url, ["contact.user.tag.created", "contact.lead.tag.created", "contact.merged"]);
    const sdk = em.sdk();
    const user = await sdk.contacts.create({ role: "user", email: "tagged@example.com" });
    const lead = await sdk.contacts.create({ role: "lead", email: "lead-tagged@example.com" });
    const tag = await sdk.tags.create({ name: "VIP" });
    await sdk.tags.tagContact({ contact_id: user.id, id: tag.id });
    await sdk.tags.tagContact({ contact_id: user.id, id: tag.id }); // applied once: no second event
    await sdk.tags.tagContact({ contact_id: lead.id, id: tag.id });
    await sdk.contacts.mergeLeadInUser({ from: lead.id, into: user.id });
    const merged = (await em.request("GET", `/contacts/${user.id}`)).body as Record<string, unknown>;
    await em.emulator.webhooks.idle();
    const received = hooks.received;
    expect(received.map((h) => h.body.topic)).toEqual(["contact.user.tag.created", "contact.lead.tag.created", "contact.merged"]);
    for (const hook of received) expect(hook.signatureValid).toBe(true);
    const [userTag, leadTag, merge] = received.map((h) => (h.body.data as { item: Record<string, unknown> }).item);
    expect(userTag).toMatchObject({ type: "contact_tag", tag: { type: "tag", id: tag.id, name: "VIP" }, contact: { type: "contact", id: user.id, role: "user" } });
    expect(typeof userTag?.created_at).toBe("number");
    expect(leadTag).toMatchObject({ type: "contact_tag", tag: { id: tag.id }, contact: { id: lead.id, role: "lead" } });
    expect(merge).toEqual({ ...merged, merged_from: { type: "contact", id: lead.id } });
  });
});
