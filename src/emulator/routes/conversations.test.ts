import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContactRecord } from "../model.js";
import type { WorkspaceEvent } from "../workspace.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

const T0 = 1_700_000_000;
let em: TestEmulator;
let events: WorkspaceEvent[];
let user: ContactRecord;
let lead: ContactRecord;
let ownerId: string;

beforeEach(async () => {
  em = await startTestEmulator();
  // A frozen clock makes timestamps exact.
  em.workspace.clock.set(T0, { frozen: true });
  user = em.workspace.insertContact({ role: "user", email: "ada@example.com", name: "Ada", external_id: "ext-ada" });
  lead = em.workspace.insertContact({ role: "lead", name: "Visitor" });
  ownerId = em.workspace.ownerAdminId;
  events = [];
  em.workspace.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await em.close();
});

async function expectError(promise: Promise<unknown>, status: number, code: string, field?: string): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IntercomError);
  expect((error as IntercomError).statusCode).toBe(status);
  expect((error as IntercomError).body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
}

describe("conversations started by a contact", () => {
  it("answers a user_message, stores an open conversation and emits conversation.user.created once", async () => {
    const sdk = em.sdk();
    const message = await sdk.conversations.create({ from: { type: "user", id: user.id }, body: "Hello <there>" });
    expect(message).toEqual({ type: "user_message", id: expect.any(String) as string, created_at: T0, body: "Hello <there>", message_type: "inapp", conversation_id: expect.any(String) as string });
    expect(events.map((e) => e.topic)).toEqual(["conversation.user.created"]);
    expect(events[0]?.record.id).toBe(message.conversation_id);

    const conversation = await sdk.conversations.find({ conversation_id: message.conversation_id ?? "" });
    expect(conversation).toMatchObject({
      type: "conversation",
      id: message.conversation_id,
      created_at: T0,
      updated_at: T0,
      waiting_since: T0,
      open: true,
      state: "open",
      read: false,
      admin_assignee_id: null,
      source: {
        type: "conversation",
        id: message.id,
        delivered_as: "customer_initiated",
        body: "<p>Hello &lt;there&gt;</p>",
        author: { type: "user", id: user.id, name: "Ada", email: "ada@example.com" },
      },
      contacts: { type: "contact.list", contacts: [{ type: "contact", id: user.id, external_id: "ext-ada" }] },
      first_contact_reply: { created_at: T0, type: "conversation", url: null },
      conversation_parts: { type: "conversation_part.list", conversation_parts: [], total_count: 0 },
    });
  });

  it("accepts a lead with type lead or contact, and refuses a role that does not match", async () => {
    const sdk = em.sdk();
    await sdk.conversations.create({ from: { type: "lead", id: lead.id }, body: "Hi" });
    await sdk.conversations.create({ from: { type: "contact", id: lead.id }, body: "Hi again" });
    await expectError(sdk.conversations.create({ from: { type: "user", id: lead.id }, body: "Hi" }), 404, "not_found");
    await expectError(sdk.conversations.create({ from: { type: "user", id: "123_doesnt_exist" }, body: "Hi" }), 404, "not_found");
    expect(em.workspace.conversations.size).toBe(2);
    const leadConversation = [...em.workspace.conversations.values()][0];
    expect(leadConversation?.source.author).toEqual({ type: "lead", id: lead.id, name: "Visitor", email: null });
  });

  it("rejects bad bodies with Intercom's codes naming the field, and changes nothing", async () => {
    const cases: Array<[unknown, string, string | undefined]> = [
      ["{oops", "bad_request", undefined],
      [{ body: "Hi" }, "parameter_not_found", "from"],
      [{ from: { type: "user", id: user.id } }, "parameter_not_found", "body"],
      [{ from: { type: "user", id: user.id }, body: "" }, "parameter_invalid", "body"],
      [{ from: { type: "admin", id: user.id }, body: "Hi" }, "parameter_invalid", "from.type"],
      [{ from: { type: "user" }, body: "Hi" }, "parameter_not_found", "from.id"],
      [{ from: { type: "user", id: user.id }, body: "Hi", created_at: "yesterday" }, "parameter_invalid", "created_at"],
      [{ from: { type: "user", id: user.id }, body: "Hi", attachment_urls: ["not a url"] }, "parameter_invalid", "attachment_urls.0"],
    ];
    for (const [body, code, field] of cases) {
      const r = await em.request("POST", "/conversations", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
    }
    expect(em.workspace.conversations.size).toBe(0);
    expect(events).toEqual([]);
  });
});

describe("messages started by an admin", () => {
  it("starts an in-app conversation without the contact webhook", async () => {
    const sdk = em.sdk();
    const message = await sdk.messages.create({ message_type: "inapp", body: "Welcome aboard", from: { type: "admin", id: Number(ownerId) }, to: { type: "user", id: user.id } });
    expect(message).toMatchObject({ type: "admin_message", created_at: T0, body: "Welcome aboard", message_type: "inapp", conversation_id: expect.any(String) as string });
    expect(events).toEqual([]);
    const conversation = await sdk.conversations.find({ conversation_id: message.conversation_id ?? "" });
    expect(conversation).toMatchObject({
      source: { type: "conversation", delivered_as: "admin_initiated", body: "<p>Welcome aboard</p>", author: { type: "admin", id: ownerId } },
      contacts: { contacts: [{ id: user.id }] },
      // Out of the inbox until the contact replies.
      open: false,
      state: "closed",
      waiting_since: null,
      first_contact_reply: null,
      teammates: { type: "admin.list", teammates: [{ type: "admin", id: ownerId }] },
    });
  });

  it("sends an email with a subject, and keeps HTML bodies as they are", async () => {
    const sdk = em.sdk();
    const message = await sdk.messages.create({
      message_type: "email", subject: "Your invoice", body: "<p>See <b>attached</b></p>", template: "plain",
      from: { type: "admin", id: Number(ownerId) }, to: { type: "lead", id: lead.id }, create_conversation_without_contact_reply: true,
    });
    expect(message).toMatchObject({ type: "admin_message", subject: "Your invoice", message_type: "email" });
    const conversation = em.workspace.conversations.get(message.conversation_id ?? "");
    expect(conversation).toMatchObject({ state: "open", open: true, source: { type: "email", subject: "Your invoice", body: "<p>See <b>attached</b></p>" } });
  });

  it("refuses a message without body, an email without subject, unknown admins or contacts, changing nothing", async () => {
    const from = { type: "admin", id: Number(ownerId) };
    const to = { type: "user", id: user.id };
    const cases: Array<[unknown, number, string, string]> = [
      [{ message_type: "inapp", from, to, body: null }, 400, "parameter_invalid", "body"],
      [{ message_type: "email", from, to, body: "Hi", template: "plain" }, 422, "parameter_not_found", "subject"],
      [{ message_type: "sms", from, to, body: "Hi" }, 400, "parameter_invalid", "message_type"],
      [{ message_type: "inapp", from, body: "Hi" }, 400, "parameter_not_found", "to"],
      [{ message_type: "inapp", from: { type: "admin", id: 1 }, to, body: "Hi" }, 404, "admin_not_found", ""],
      [{ message_type: "inapp", from, to: { type: "lead", id: user.id }, body: "Hi" }, 404, "not_found", "to"],
      [{ message_type: "inapp", from, to: [to, { type: "lead", id: lead.id }], body: "Hi" }, 400, "parameter_invalid", "to"],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await em.request("POST", "/messages", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === "" ? { code } : { code, field }] });
    }
    expect(em.workspace.conversations.size).toBe(0);
  });
});

describe("replies", () => {
  async function startByUser(): Promise<string> {
    const message = await em.sdk().conversations.create({ from: { type: "user", id: user.id }, body: "Help" });
    return message.conversation_id ?? "";
  }

  it("adds admin comments and notes and contact replies as parts, bumping updated_at", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    em.workspace.clock.advance(60);
    const note = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "note", type: "admin", admin_id: ownerId, body: "<b>VIP</b>" } });
    // A note is internal: the contact is still waiting.
    expect(note).toMatchObject({ updated_at: T0 + 60, waiting_since: T0, conversation_parts: { total_count: 1, conversation_parts: [{ part_type: "note", body: "<b>VIP</b>", author: { type: "admin", id: ownerId } }] } });
    em.workspace.clock.advance(60);
    const answered = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "admin", admin_id: ownerId, body: "On it" } });
    expect(answered).toMatchObject({ updated_at: T0 + 120, waiting_since: null, read: true });
    expect(answered.conversation_parts?.conversation_parts?.[1]).toMatchObject({ part_type: "comment", body: "<p>On it</p>", created_at: T0 + 120 });
    em.workspace.clock.advance(60);
    const byEmail = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", email: "ADA@example.com", body: "Thanks" } });
    expect(byEmail).toMatchObject({ updated_at: T0 + 180, waiting_since: T0 + 180 });
    await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", user_id: "ext-ada", body: "Also…" } });
    const parts = (await sdk.conversations.find({ conversation_id: id })).conversation_parts?.conversation_parts ?? [];
    expect(parts.map((p) => [p.part_type, p.author?.type])).toEqual([["note", "admin"], ["comment", "admin"], ["comment", "user"], ["comment", "user"]]);
    const stats = (await sdk.conversations.find({ conversation_id: id })).statistics;
    expect(stats).toMatchObject({ first_contact_reply_at: T0, first_admin_reply_at: T0 + 120, time_to_admin_reply: 120, last_contact_reply_at: T0 + 180, count_conversation_parts: 4 });
  });

  it("reopens a closed conversation when the contact replies, and finds the contact's last conversation", async () => {
    const sdk = em.sdk();
    const message = await sdk.messages.create({ message_type: "inapp", body: "Any feedback?", from: { type: "admin", id: Number(ownerId) }, to: { type: "user", id: user.id } });
    em.workspace.clock.advance(30);
    const reply = await sdk.conversations.reply({ conversation_id: "last", body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Yes!" } });
    expect(reply).toMatchObject({ id: message.conversation_id, state: "open", open: true, waiting_since: T0 + 30, first_contact_reply: { created_at: T0 + 30 } });
    expect(reply.conversation_parts?.conversation_parts?.[0]).toMatchObject({ part_type: "open", body: "<p>Yes!</p>", author: { type: "user", id: user.id } });
    expect(events.filter((e) => e.topic === "conversation.user.created")).toEqual([]);
  });

  it("offers quick replies and records the contact's choice", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    const options = [{ text: "Yes", uuid: "a5e1c524-5ddd-4c3e-9328-6bca5d6e3edb" }, { text: "No", uuid: "f4a98af1-be56-4948-a57e-e1a83f8484c6" }];
    const offered = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "quick_reply", type: "admin", admin_id: ownerId, reply_options: options } });
    expect(offered.conversation_parts?.conversation_parts?.[0]).toMatchObject({ part_type: "quick_reply", body: null, metadata: { quick_reply_options: options } });
    const chosen = await em.request("POST", `/conversations/${id}/reply`, { message_type: "quick_reply", type: "user", intercom_user_id: user.id, reply_options: [options[0]] });
    expect(chosen.body).toMatchObject({ conversation_parts: { conversation_parts: [{}, { body: "<p>Yes</p>", metadata: { quick_reply_uuid: options[0]?.uuid } }] } });
  });

  it("keeps attachments given by URL or as files", async () => {
    const sdk = em.sdk();
    const started = await em.request("POST", "/conversations", { from: { type: "user", id: user.id }, body: "See screenshot", attachment_urls: ["https://example.com/shots/bug%201.png"] });
    const id = (started.body as { conversation_id: string }).conversation_id;
    const replied = await sdk.conversations.reply({
      conversation_id: id,
      body: { message_type: "comment", type: "admin", admin_id: ownerId, body: "Log attached", attachment_files: [{ name: "log.json", content_type: "application/json", data: "ewogICJ0ZXN0IjogMQp9" }] },
    });
    expect(replied.source?.attachments).toEqual([{ type: "upload", name: "bug 1.png", url: "https://example.com/shots/bug%201.png" }]);
    expect(replied.conversation_parts?.conversation_parts?.[0]?.attachments).toEqual([{ type: "upload", name: "log.json", content_type: "application/json", filesize: 15 }]);
  });

  it("answers in plain text with display_as=plaintext", async () => {
    const id = await startByUser();
    await em.sdk().conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "admin", admin_id: ownerId, body: "<p>Hi &amp; welcome</p><p>Ada</p>" } });
    const r = await em.request("GET", `/conversations/${id}?display_as=plaintext`);
    expect(r.body).toMatchObject({ source: { body: "Help" }, conversation_parts: { conversation_parts: [{ body: "Hi & welcome\nAda" }] } });
  });

  it("refuses bad replies with Intercom's codes and changes nothing", async () => {
    const id = await startByUser();
    const other = em.workspace.insertContact({ role: "user", email: "other@example.com" });
    const before = structuredClone(em.workspace.conversations.get(id));
    const cases: Array<[string, unknown, number, string, string | undefined]> = [
      [id, { message_type: "comment", body: "Hi" }, 400, "parameter_not_found", "type"],
      [id, { type: "bot", message_type: "comment", body: "Hi" }, 400, "parameter_invalid", "type"],
      [id, { type: "admin", message_type: "comment", body: "Hi" }, 400, "parameter_not_found", "admin_id"],
      [id, { type: "admin", message_type: "comment", admin_id: ownerId }, 400, "parameter_not_found", "body"],
      [id, { type: "admin", message_type: "quick_reply", admin_id: ownerId }, 400, "parameter_not_found", "reply_options"],
      [id, { type: "admin", message_type: "shout", admin_id: ownerId, body: "Hi" }, 400, "parameter_invalid", "message_type"],
      [id, { type: "admin", message_type: "comment", admin_id: "1", body: "Hi" }, 404, "admin_not_found", undefined],
      [id, { type: "user", message_type: "comment", body: "Hi" }, 400, "parameter_not_found", "intercom_user_id"],
      [id, { type: "user", message_type: "comment", intercom_user_id: "nope", body: "Hi" }, 404, "not_found", "intercom_user_id"],
      [id, { type: "user", message_type: "comment", intercom_user_id: other.id, body: "Hi" }, 400, "parameter_invalid", "intercom_user_id"],
      ["999999", { type: "admin", message_type: "comment", admin_id: ownerId, body: "Hi" }, 404, "not_found", undefined],
      ["last", { type: "user", message_type: "comment", intercom_user_id: other.id, body: "Hi" }, 404, "not_found", undefined],
    ];
    for (const [conversationId, body, status, code, field] of cases) {
      const r = await em.request("POST", `/conversations/${conversationId}/reply`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
    }
    expect(em.workspace.conversations.get(id)).toEqual(before);
    await expectError(em.sdk().conversations.find({ conversation_id: "999999" }), 404, "not_found");
  });
});

describe("listing", () => {
  it("pages through every conversation with the SDK pager, most recently updated first", async () => {
    const sdk = em.sdk();
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      em.workspace.clock.advance(i % 3 === 0 ? 0 : 10); // some share an updated_at: the id breaks ties
      const m = await sdk.conversations.create({ from: { type: "user", id: user.id }, body: `Question ${i}` });
      ids.push(m.conversation_id ?? "");
    }
    const seen: Intercom.Conversation[] = [];
    const pager = await sdk.conversations.list({ per_page: 5 });
    for await (const conversation of pager) seen.push(conversation);
    expect(seen.map((c) => c.id)).toEqual([...ids].reverse());
    expect(seen.every((c) => !("conversation_parts" in c))).toBe(true);

    const first = await em.request("GET", "/conversations");
    expect(first.body).toMatchObject({ type: "conversation.list", total_count: 23, pages: { page: 1, per_page: 20, total_pages: 2 } });
    // A reply moves a conversation to the front.
    em.workspace.clock.advance(60);
    await sdk.conversations.reply({ conversation_id: ids[0] ?? "", body: { message_type: "comment", type: "admin", admin_id: ownerId, body: "Sorry for the wait" } });
    const top = await em.request("GET", "/conversations?per_page=1");
    expect((top.body as { conversations: Array<{ id: string }> }).conversations[0]?.id).toBe(ids[0]);
  });

  it("refuses a bad per_page or cursor", async () => {
    for (const query of ["per_page=0", "per_page=151", "per_page=ten", "starting_after=%%%"]) {
      const r = await em.request("GET", `/conversations?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ code: "parameter_invalid" }] });
    }
  });
});
