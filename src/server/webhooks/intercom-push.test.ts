import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { decodeTriggerCursor, TRIGGERS, triggersForTopic } from "../../triggers/index.js";
import { intercomPushPath } from "../routes.js";
import { startWebhookFixture, type WebhookFixture } from "./testing/fixture.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "./testing/receiver.js";

let f: WebhookFixture | undefined;
let receiver: StandardWebhookReceiver | undefined;
afterEach(async () => {
  await f?.close();
  await receiver?.close();
  f = undefined;
  receiver = undefined;
});

function hubSignature(secret: string, body: string): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

/** POSTs a raw body to the Intercom push endpoint, with the given signature header (if any). */
async function push(fx: WebhookFixture, connectionId: string, body: string, signature?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(fx.baseUrl + intercomPushPath(connectionId), {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature === undefined ? {} : { "x-hub-signature": signature }) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A `notification_event` as Intercom sends it, around a contact as the emulator serialises it. */
async function leadNotification(fx: WebhookFixture, email: string): Promise<string> {
  const id = await fx.createLead(email);
  const contact = await fx.em.request("GET", `/contacts/${id}`);
  return JSON.stringify({
    type: "notification_event",
    app_id: fx.em.workspace.id,
    data: { type: "notification_event_data", item: contact.body },
    id: "notif_1",
    topic: "contact.lead.created",
    created_at: Math.floor(Date.now() / 1000),
  });
}

async function subscribeWebhook(fx: WebhookFixture, triggerId: string, url: string): Promise<{ id: string; secret: string }> {
  const created = await fx.api("POST", `/v1/triggers/${triggerId}/subscriptions`, { body: { callback_url: url } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id as string, secret: created.body.secret as string };
}

describe("Intercom's pushes", () => {
  it("refuses a forged, missing or misplaced signature with 401 and stores nothing", async () => {
    f = await startWebhookFixture({ pollIntervalSeconds: 3_600 });
    const fx = f;
    const { id } = await subscribeWebhook(fx, "TrigNewLead", "https://example.com/hook");
    const body = await leadNotification(fx, "forged@example.com");
    const clientSecret = fx.em.workspace.clientSecret;
    const noSecret = await fx.store.createConnection({ name: "no secret", region: "us", baseUrl: fx.em.baseUrl, accessToken: fx.em.token });

    const forgeries: Array<[string, string, string | undefined]> = [
      ["no signature", fx.connection.id, undefined],
      ["garbage", fx.connection.id, "sha1=0123456789abcdef0123456789abcdef01234567"],
      ["another secret", fx.connection.id, hubSignature("not-the-client-secret", body)],
      ["another body", fx.connection.id, hubSignature(clientSecret, `${body} `)],
      ["sha256", fx.connection.id, `sha256=${createHmac("sha256", clientSecret).update(body).digest("hex")}`],
      ["unknown connection", "no-such-connection", hubSignature(clientSecret, body)],
      ["connection without a client secret", noSecret.connection.id, hubSignature(clientSecret, body)],
    ];
    for (const [label, connectionId, signature] of forgeries) {
      const answer = await push(fx, connectionId, body, signature);
      expect(answer.status, label).toBe(401);
      expect(answer.body, label).toMatchObject({ error: { code: "invalid_signature" } });
    }
    expect(await fx.store.listEvents(id, { limit: 10 })).toEqual([]);

    // The same body, genuinely signed, is taken: the refusals above were the signature's doing.
    const genuine = await push(fx, fx.connection.id, body, hubSignature(clientSecret, body));
    expect(genuine).toEqual({ status: 200, body: { topic: "contact.lead.created", ignored: false, appended: 1 } });
    expect((await fx.store.listEvents(id, { limit: 10 })).map((e) => (e.payload as { email: string }).email)).toEqual(["forged@example.com"]);
  });

  it("acknowledges and ignores other topics; a signed body that is not a notification is 400", async () => {
    f = await startWebhookFixture({ pollIntervalSeconds: 3_600 });
    const fx = f;
    const { id } = await subscribeWebhook(fx, "TrigNewLead", "https://example.com/hook");
    const secret = fx.em.workspace.clientSecret;
    const ping = JSON.stringify({ type: "notification_event", topic: "ping", data: { item: { type: "ping", message: "hi" } } });
    expect(await push(fx, fx.connection.id, ping, hubSignature(secret, ping))).toEqual({ status: 200, body: { topic: "ping", ignored: true, appended: 0 } });
    for (const bad of ["not json", JSON.stringify({ hello: "world" })]) {
      const answer = await push(fx, fx.connection.id, bad, hubSignature(secret, bad));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "invalid_input", field: "body" } });
    }
    expect(await fx.store.listEvents(id, { limit: 10 })).toEqual([]);
  });

  it("delivers an emulator push once, although the next poll sees the same lead", async () => {
    f = await startWebhookFixture({ pollIntervalSeconds: 3_600 });
    receiver = await startStandardWebhookReceiver();
    const fx = f;
    const hooks = receiver;
    const { id, secret } = await subscribeWebhook(fx, "TrigNewLead", hooks.url);
    hooks.secret = secret;
    const hook = await fx.em.control("POST", `/workspaces/${fx.em.workspace.id}/webhooks`, {
      url: fx.baseUrl + intercomPushPath(fx.connection.id),
      topics: ["contact.lead.created"],
    });
    expect(hook.status).toBe(201);
    fx.startWorker();

    const pushed = await fx.createLead("pushed@example.com");
    await waitUntil(() => hooks.accepted().length === 1, "the pushed lead's delivery");
    expect(hooks.accepted()[0]?.payload).toMatchObject({ id: pushed, email: "pushed@example.com" });
    const emulatorDeliveries = (await fx.em.control("GET", `/workspaces/${fx.em.workspace.id}/webhooks/deliveries`)).body as { deliveries: Array<{ status: number }> };
    expect(emulatorDeliveries.deliveries.map((d) => d.status)).toEqual([200]);

    // A lead Intercom does not push (as when a push was lost): only the poll finds it.
    const polledOnly = fx.em.workspace.insertContact({ role: "lead", email: "polled@example.com" }, { emit: false }).id;
    const poll = await fx.engine.poll(id);
    if (!poll.ok) throw new Error(poll.error.message);
    // The poll saw both leads (its cursor records both as seen); the pushed one was a duplicate.
    expect(poll.value).toMatchObject({ emitted: 1, committed: true });
    const cursor = decodeTriggerCursor((await fx.store.getSubscription(id))?.cursor ?? "");
    expect(Object.keys(cursor.seen)).toEqual(expect.arrayContaining([pushed, polledOnly]));
    await waitUntil(() => hooks.accepted().length === 2, "the polled lead's delivery");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.received.map((d) => d.payload.id)).toEqual([pushed, polledOnly]);
    expect(hooks.received.every((d) => d.signatureValid)).toBe(true);
    expect((await fx.store.listEvents(id, { limit: 10 })).map((e) => e.dedupeKey)).toEqual([pushed, polledOnly]);
  });

  it("feeds every active subscription of the trigger, and each trigger only what it fires for", async () => {
    f = await startWebhookFixture({ pollIntervalSeconds: 3_600 });
    const fx = f;
    const leadsA = await subscribeWebhook(fx, "TrigNewLead", "https://example.com/a");
    const leadsB = await subscribeWebhook(fx, "TrigNewLead", "https://example.com/b");
    const users = await subscribeWebhook(fx, "TrigNewUser", "https://example.com/users");
    const updates = await subscribeWebhook(fx, "TrigUpdateUser", "https://example.com/updates");
    const conversations = await subscribeWebhook(fx, "TrigNewConversation", "https://example.com/conversations");
    const hook = await fx.em.control("POST", `/workspaces/${fx.em.workspace.id}/webhooks`, {
      url: fx.baseUrl + intercomPushPath(fx.connection.id),
      topics: ["contact.lead.created", "contact.user.created", "contact.user.updated", "contact.lead.updated", "conversation.user.created"],
    });
    expect(hook.status).toBe(201);

    const lead = await fx.createLead("fanout@example.com");
    const user = await fx.em.request("POST", "/contacts", { role: "user", email: "user@example.com" });
    const userId = (user.body as { id: string }).id;
    await fx.em.request("PUT", `/contacts/${lead}`, { name: "Lead renamed" }); // contact.lead.updated: ignored
    fx.em.workspace.clock.advance(5);
    const updated = await fx.em.request("PUT", `/contacts/${userId}`, { name: "User renamed" });
    const updatedAt = (updated.body as { updated_at: number }).updated_at;
    const conversation = await fx.em.request("POST", "/conversations", { from: { type: "user", id: userId }, body: "Hello" });
    const conversationId = (conversation.body as { conversation_id?: string; id?: string }).conversation_id ?? (conversation.body as { id: string }).id;

    const keys = async (subscriptionId: string): Promise<string[]> => (await fx.store.listEvents(subscriptionId, { limit: 10 })).map((e) => e.dedupeKey);
    await waitUntil(async () => (await keys(conversations.id)).length === 1, "the conversation push");
    await fx.em.emulator.webhooks.idle();
    expect(await keys(leadsA.id)).toEqual([lead]);
    expect(await keys(leadsB.id)).toEqual([lead]);
    expect(await keys(users.id)).toEqual([userId]);
    expect(await keys(updates.id)).toEqual([`${userId}:${updatedAt}`]);
    expect(await keys(conversations.id)).toEqual([conversationId]);
    const [conversationEvent] = await fx.store.listEvents(conversations.id, { limit: 1 });
    expect(conversationEvent?.payload).toMatchObject({ id: conversationId, user: { id: userId, type: "user" }, conversation_message: { body: expect.stringContaining("Hello") as string } });
    const [updateEvent] = await fx.store.listEvents(updates.id, { limit: 1 });
    expect(updateEvent?.payload).toMatchObject({ id: userId, name: "User renamed" });
  });

  it("takes each topic's triggers from the trigger definitions", () => {
    expect(triggersForTopic("contact.lead.created").map((t) => t.id)).toEqual(["TrigNewLead"]);
    expect(triggersForTopic("contact.user.created").map((t) => t.id)).toEqual(["TrigNewUser"]);
    expect(triggersForTopic("contact.user.updated").map((t) => t.id)).toEqual(["TrigUpdateUser"]);
    expect(triggersForTopic("conversation.user.created").map((t) => t.id)).toEqual(["TrigNewConversation"]);
    expect(triggersForTopic("ping")).toEqual([]);
  });

  it("makes no event of a creation pushed as a user update, nor of a teammate's conversation", async () => {
    f = await startWebhookFixture();
    const intercom = await f.transportFor(f.connection.id);
    const created = await f.em.request("POST", "/contacts", { role: "user", email: "fresh@example.com" });
    const contact = created.body as { created_at: number; updated_at: number; id: string };
    expect(contact.updated_at).toBe(contact.created_at);
    expect(await TRIGGERS.TrigUpdateUser.fromPush(contact, intercom)).toEqual({ ok: true, value: null });
    expect(await TRIGGERS.TrigNewLead.fromPush(contact, intercom)).toEqual({ ok: true, value: null });
    expect(await TRIGGERS.TrigNewUser.fromPush(contact, intercom)).toMatchObject({ ok: true, value: { dedupeKey: contact.id } });

    const message = await f.em.request("POST", "/messages", {
      message_type: "inapp",
      body: "Hello from support",
      from: { type: "admin", id: f.em.workspace.ownerAdminId },
      to: { type: "user", id: contact.id },
    });
    const conversationId = (message.body as { conversation_id: string }).conversation_id;
    const conversation = await f.em.request("GET", `/conversations/${conversationId}`);
    expect(conversation.status).toBe(200);
    expect(await TRIGGERS.TrigNewConversation.fromPush(conversation.body, intercom)).toEqual({ ok: true, value: null });
    expect(await TRIGGERS.TrigNewConversation.fromPush({ type: "contact" }, intercom)).toMatchObject({ ok: false, error: { code: "invalid_input", field: "data.item" } });
  });
});
