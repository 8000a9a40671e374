import { afterEach, describe, expect, it } from "vitest";
import type { WebhookTopic } from "../model.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import { startWebhookReceiver, type WebhookReceiver } from "../testing/webhook-receiver.js";

const SECRET = "conversation-hooks-secret";
const TOPICS: WebhookTopic[] = [
  "conversation.user.replied",
  "conversation.admin.replied",
  "conversation.admin.noted",
  "conversation.admin.assigned",
  "conversation.admin.closed",
  "conversation.admin.opened",
  "conversation.admin.snoozed",
  "conversation.rating.added",
];
let em: TestEmulator;
let hooks: WebhookReceiver;

afterEach(async () => {
  await em.close();
  await hooks.close();
});

describe("conversation webhooks", () => {
  it("sends each conversation action's topic, signed, with the conversation as it was after that action", async () => {
    em = await startTestEmulator({ workspaces: [{ token: "conv-hooks", timezone: "UTC", clientSecret: SECRET }] });
    hooks = await startWebhookReceiver({ secret: SECRET });
    const ws = em.workspace;
    ws.clock.set(1_700_000_000, { frozen: true });
    expect((await em.control("POST", `/workspaces/${ws.id}/webhooks`, { url: hooks.url, topics: TOPICS })).status).toBe(201);
    const user = ws.insertContact({ role: "user", email: "ada@example.com" });
    const owner = ws.ownerAdminId;
    const sdk = em.sdk();
    const id = (await sdk.conversations.create({ from: { type: "user", id: user.id }, body: "Help" })).conversation_id ?? "";

    const steps: Array<[WebhookTopic, () => Promise<unknown>]> = [
      ["conversation.admin.noted", () => sdk.conversations.reply({ conversation_id: id, body: { message_type: "note", type: "admin", admin_id: owner, body: "VIP" } })],
      ["conversation.admin.assigned", () => sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "admin", admin_id: owner, assignee_id: owner } })],
      ["conversation.admin.replied", () => sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "admin", admin_id: owner, body: "Hello" } })],
      ["conversation.user.replied", () => sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Thanks" } })],
      ["conversation.admin.snoozed", () => sdk.conversations.manage({ conversation_id: id, body: { message_type: "snoozed", admin_id: owner, snoozed_until: 1_700_086_400 } })],
      ["conversation.admin.opened", () => sdk.conversations.manage({ conversation_id: id, body: { message_type: "open", admin_id: owner } })],
      ["conversation.admin.closed", () => sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: owner } })],
      ["conversation.rating.added", () => em.control("POST", `/workspaces/${ws.id}/conversations/${id}/rating`, { rating: 5 })],
    ];
    for (const [, step] of steps) {
      ws.clock.advance(10);
      await step();
    }
    const received = await hooks.waitFor(steps.length);
    await em.emulator.webhooks.idle();
    // Deliveries run concurrently: compare them in the order of the parts they carry.
    const ordered = [...received].sort((a, b) => (a.body.created_at as number) - (b.body.created_at as number));
    expect(ordered.map((h) => h.body.topic)).toEqual(steps.map(([topic]) => topic));
    for (const [i, hook] of ordered.entries()) {
      expect(hook.signatureValid).toBe(true);
      expect(hook.body).toMatchObject({ type: "notification_event", app_id: ws.id, created_at: 1_700_000_000 + 10 * (i + 1) });
      const item = (hook.body.data as { item: { id: string; updated_at: number; conversation_parts: { total_count: number } } }).item;
      expect(item).toMatchObject({ type: "conversation", id, updated_at: 1_700_000_000 + 10 * (i + 1) });
      // The rating adds no part; every other step adds one.
      expect(item.conversation_parts.total_count).toBe(Math.min(i + 1, steps.length - 1));
    }
    const rated = (ordered.at(-1)?.body.data as { item: { conversation_rating: unknown } }).item;
    expect(rated.conversation_rating).toMatchObject({ rating: 5, contact: { id: user.id }, teammate: { type: "admin", id: owner } });
  });
});
