import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Conversation, ConversationMessage } from "../../contract/catalogue/conversations.js";
import { Tag } from "../../contract/catalogue/tags.js";
import { unwrap } from "../../contract/index.js";
import { addTeam } from "../../emulator/routes/teams.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { CONVERSATION_ACTIONS as A } from "./index.js";

let c: ConnectedEmulator;
let userId: string;
let ownerId: string;
beforeEach(async () => {
  c = await startConnectedEmulator();
  await c.workspace("POST", "/clock", { set: NOW, frozen: true });
  userId = c.em.workspace.insertContact({ role: "user", email: "ada@example.com", name: "Ada" }).id;
  ownerId = c.em.workspace.ownerAdminId;
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function started(): Promise<string> {
  const message = unwrap(await A.CreateConversation.run(c.intercom, { contact_id: userId, body: "My invoice is wrong" }));
  return message.conversation_id ?? "";
}

async function advance(seconds: number): Promise<void> {
  await c.workspace("POST", "/clock", { advance: seconds });
}

describe("starting conversations", () => {
  it("CreateConversation starts one as the contact; SendMessage as an admin, in-app or by email", async () => {
    const message = unwrap(await A.CreateConversation.run(c.intercom, { contact_id: userId, body: "My invoice is wrong" }));
    expect(message).toMatchObject({ type: "user_message", created_at: NOW, body: "My invoice is wrong", message_type: "inapp" });
    expect(ConversationMessage.parse(message)).toEqual(message);
    const conversation = unwrap(await A.GetConversation.run(c.intercom, { conversation_id: message.conversation_id ?? "" }));
    expect(conversation).toMatchObject({ state: "open", source: { delivered_as: "customer_initiated", body: "<p>My invoice is wrong</p>", author: { id: userId } } });

    const email = unwrap(await A.SendMessage.run(c.intercom, { admin_id: ownerId, contact_id: userId, contact_role: "user", message_type: "email", subject: "Your invoice", body: "Here it is", open_conversation: true }));
    expect(email).toMatchObject({ type: "admin_message", message_type: "email", subject: "Your invoice" });
    expect(c.em.workspace.conversations.get(email.conversation_id ?? "")).toMatchObject({ state: "open", source: { type: "email" } });

    const missing = await A.CreateConversation.run(c.intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", body: "Hi" });
    expect(!missing.ok && missing.error.toJSON()).toMatchObject({ code: "not_found", message: "No contact with id 6762f0a51bb69f9f2193bb5c" });
    const noAdmin = await A.SendMessage.run(c.intercom, { admin_id: "424242", contact_id: userId, contact_role: "user", message_type: "inapp", body: "Hi" });
    expect(!noAdmin.ok && noAdmin.error.toJSON()).toMatchObject({ code: "not_found", field: "admin_id", message: "No admin with id 424242" });
  });
});

describe("the conversation's life", () => {
  it("replies, assigns, snoozes, opens and closes, each answering the conversation with its new part and statistics", async () => {
    const id = await started();
    const teamId = addTeam(c.em.workspace, { name: "Billing", admin_ids: [Number(ownerId)] }).id;
    await advance(60);
    const note = unwrap(await A.ReplyToConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, message_type: "note", body: "VIP customer" }));
    expect(note.conversation_parts?.conversation_parts.at(-1)).toMatchObject({ part_type: "note", body: "<p>VIP customer</p>" });
    await advance(60);
    const assigned = unwrap(await A.AssignConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, assignee_type: "team", assignee_id: teamId }));
    expect(assigned).toMatchObject({ team_assignee_id: Number(teamId), statistics: { last_assignment_at: NOW + 120, count_assignments: 1 } });
    expect(assigned.conversation_parts?.conversation_parts.at(-1)).toMatchObject({ part_type: "assignment", assigned_to: { type: "team", id: teamId } });
    await advance(60);
    const answered = unwrap(await A.ReplyToConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, body: "Fixed, sorry" }));
    expect(answered.statistics).toMatchObject({ last_admin_reply_at: NOW + 180, first_admin_reply_at: NOW + 180 });
    await advance(60);
    const snoozed = unwrap(await A.SnoozeConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, snoozed_until: NOW + 86_400 }));
    expect(snoozed).toMatchObject({ state: "snoozed", snoozed_until: NOW + 86_400 });
    await advance(60);
    const thanked = unwrap(await A.ReplyToConversation.run(c.intercom, { conversation_id: id, contact_id: userId, body: "Thanks!" }));
    expect(thanked).toMatchObject({ state: "open", statistics: { last_contact_reply_at: NOW + 300 } });
    await advance(60);
    const closed = unwrap(await A.CloseConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, body: "Goodbye" }));
    expect(closed).toMatchObject({ state: "closed", open: false, statistics: { last_close_at: NOW + 360, last_closed_by_id: ownerId } });
    await advance(60);
    const opened = unwrap(await A.OpenConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId }));
    expect(opened).toMatchObject({ state: "open", statistics: { count_reopens: 2 } });
    expect(opened.conversation_parts?.conversation_parts.map((p) => p.part_type)).toEqual(["note", "assignment", "comment", "snoozed", "open", "close", "open"]);
    for (const conversation of [note, assigned, answered, snoozed, thanked, closed, opened]) expect(Conversation.parse(conversation)).toEqual(conversation);
    expect((await c.calls()).calls).toMatchObject({ "POST /conversations/:conversation_id/parts": 4, "POST /conversations/:conversation_id/reply": 3 });
  });

  it("names what Intercom could not find: the conversation, the admin, the team, the contact", async () => {
    const id = await started();
    const cases = [
      [A.CloseConversation.run(c.intercom, { conversation_id: "999999", admin_id: ownerId }), { message: "No conversation with id 999999" }],
      [A.CloseConversation.run(c.intercom, { conversation_id: id, admin_id: "424242" }), { field: "admin_id", message: "No admin with id 424242" }],
      [A.AssignConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, assignee_type: "team", assignee_id: "424242" }), { field: "assignee_id", message: "No team with id 424242" }],
      [A.ReplyToConversation.run(c.intercom, { conversation_id: id, contact_id: "6762f0a51bb69f9f2193bb5c", body: "Hi" }), { field: "contact_id" }],
      [A.GetConversation.run(c.intercom, { conversation_id: "999999" }), { message: "No conversation with id 999999" }],
    ] as const;
    for (const [promise, expected] of cases) {
      const result = await promise;
      expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "not_found", status: 404, ...expected });
    }
    // Intercom refuses a snooze in the past: its 400, as a value.
    const past = await A.SnoozeConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId, snoozed_until: NOW - 1 });
    expect(!past.ok && past.error.toJSON()).toMatchObject({ code: "intercom_rejected", status: 400 });
    expect(c.em.workspace.conversations.get(id)?.parts).toEqual([]);
  });

  it("refuses bad input naming the field, before any call", async () => {
    const cases: Array<[keyof typeof A, unknown, string]> = [
      ["ReplyToConversation", { conversation_id: "1", body: "Hi" }, "admin_id"],
      ["ReplyToConversation", { conversation_id: "1", body: "Hi", admin_id: "1", contact_id: "2" }, "admin_id"],
      ["ReplyToConversation", { conversation_id: "1", body: "Hi", contact_id: "2", message_type: "note" }, "message_type"],
      ["ReplyToConversation", { conversation_id: "1", body: "  ", admin_id: "1" }, "body"],
      ["AssignConversation", { conversation_id: "1", admin_id: "1", assignee_type: "bot", assignee_id: "2" }, "assignee_type"],
      ["SnoozeConversation", { conversation_id: "1", admin_id: "1", snoozed_until: "tomorrow" }, "snoozed_until"],
      ["CloseConversation", { conversation_id: "../admins", admin_id: "1" }, "conversation_id"],
      ["SendMessage", { admin_id: "1", contact_id: "2", contact_role: "user", message_type: "email", body: "Hi" }, "subject"],
      ["SetConversationAttributes", { conversation_id: "1", custom_attributes: { nested: { a: 1 } } }, "custom_attributes.nested"],
      ["TagConversation", { conversation_id: "1", tag_id: "1" }, "admin_id"],
      ["SearchConversations", { query: { field: "state", operator: "≈", value: "open" } }, "query.operator"],
    ];
    for (const [id, input, field] of cases) {
      const result = await A[id].run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), `${id} ${JSON.stringify(input)}`).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message, id).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
  });
});

describe("tags and attributes", () => {
  it("tags and untags a conversation, and sets its attributes", async () => {
    const id = await started();
    const tag = c.em.workspace.tags.set("77", { id: "77", name: "Billing", created_at: NOW }).get("77");
    await advance(5);
    const applied = unwrap(await A.TagConversation.run(c.intercom, { conversation_id: id, tag_id: "77", admin_id: ownerId }));
    expect(applied).toEqual({ type: "tag", id: "77", name: tag?.name, applied_at: NOW + 5, applied_by: { type: "admin", id: ownerId } });
    expect(Tag.parse(applied)).toEqual(applied);
    expect(unwrap(await A.GetConversation.run(c.intercom, { conversation_id: id })).tags?.tags).toMatchObject([{ id: "77", name: "Billing", applied_at: NOW + 5 }]);
    const unknownTag = await A.TagConversation.run(c.intercom, { conversation_id: id, tag_id: "404", admin_id: ownerId });
    expect(!unknownTag.ok && unknownTag.error.toJSON()).toMatchObject({ code: "not_found", field: "tag_id", message: "No tag with id 404" });
    expect(unwrap(await A.UntagConversation.run(c.intercom, { conversation_id: id, tag_id: "77", admin_id: ownerId }))).toMatchObject({ id: "77" });
    expect(c.em.workspace.conversations.get(id)?.tag_ids).toEqual([]);

    await c.workspace("POST", "/conversation_attributes", { name: "issue_type", data_type: "list", options: ["Billing", "Bug"] });
    const set = unwrap(await A.SetConversationAttributes.run(c.intercom, { conversation_id: id, custom_attributes: { issue_type: "Billing" }, read: true, title: "Invoice" }));
    expect(set).toMatchObject({ custom_attributes: { issue_type: "Billing" }, read: true, title: "Invoice" });
    const refused = await A.SetConversationAttributes.run(c.intercom, { conversation_id: id, custom_attributes: { priority_level: "High" } });
    expect(!refused.ok && refused.error.toJSON()).toMatchObject({ code: "intercom_rejected", status: 400 });
    expect(!refused.ok && refused.error.message).toContain("priority_level");
  });
});

describe("SearchConversations", () => {
  it("streams every match one page at a time, and pages over HTTP-sized pages with the query in the cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await advance(10);
      ids.push(await started());
    }
    for (const id of ids.slice(0, 3)) unwrap(await A.CloseConversation.run(c.intercom, { conversation_id: id, admin_id: ownerId }));
    await c.resetCalls();
    const closed = await all(unwrap(await A.SearchConversations.run(c.intercom, { query: { field: "statistics.last_close_at", operator: "=", value: NOW }, sort: { field: "created_at", order: "ascending" } })));
    expect(closed.map((conversation) => conversation.id)).toEqual(ids.slice(0, 3));
    for (const conversation of closed) expect(Conversation.parse(conversation)).toEqual(conversation);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /conversations/search": 1 } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    const input = { query: { field: "state", operator: "=", value: "open" }, sort: { field: "created_at", order: "ascending" } } as const;
    do {
      const page = unwrap(await A.SearchConversations.paged.page(c.intercom, input, { pageSize: 1, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((conversation) => conversation.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) expect(cursor).toMatch(/^conversations\./);
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual(ids.slice(3));
    expect(pages).toBe(2);
  });
});
