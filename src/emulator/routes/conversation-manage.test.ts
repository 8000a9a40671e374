import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminRecord, ContactRecord, WebhookTopic } from "../model.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import type { WorkspaceEvent } from "../workspace.js";
import { addTeam } from "./teams.js";

const T0 = 1_700_000_000;
let em: TestEmulator;
let events: WorkspaceEvent[];
let user: ContactRecord;
let ownerId: string;
let agent: AdminRecord;
let teamId: string;

beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(T0, { frozen: true });
  user = em.workspace.insertContact({ role: "user", email: "ada@example.com", name: "Ada", external_id: "ext-ada" });
  ownerId = em.workspace.ownerAdminId;
  agent = { id: "991300", name: "Grace Agent", email: "grace@example.com", job_title: "Support", away_mode_enabled: false, away_mode_reassign: false, has_inbox_seat: true, team_ids: [], avatar: null };
  em.workspace.admins.set(agent.id, agent);
  teamId = addTeam(em.workspace, { name: "Support", admin_ids: [Number(ownerId), Number(agent.id)] }).id;
  events = [];
  em.workspace.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await em.close();
});

async function startByUser(): Promise<string> {
  const message = await em.sdk().conversations.create({ from: { type: "user", id: user.id }, body: "Help" });
  events.length = 0;
  return message.conversation_id ?? "";
}

const topics = (): WebhookTopic[] => events.map((e) => e.topic);
const lastPart = (c: Intercom.Conversation): Intercom.ConversationPart | undefined => c.conversation_parts?.conversation_parts?.at(-1);

async function expectError(promise: Promise<unknown>, status: number, code: string, field?: string): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IntercomError);
  expect((error as IntercomError).statusCode).toBe(status);
  expect((error as IntercomError).body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
}

describe("assigning", () => {
  it("assigns to an admin and a team with assignment parts, and counts them in the statistics", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    em.workspace.clock.advance(60);
    const toAgent = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: agent.id } });
    expect(toAgent).toMatchObject({ admin_assignee_id: Number(agent.id), team_assignee_id: null, state: "open", updated_at: T0 + 60 });
    expect(lastPart(toAgent)).toMatchObject({ part_type: "assignment", body: null, assigned_to: { type: "admin", id: agent.id }, author: { type: "admin", id: ownerId }, state: "open", created_at: T0 + 60 });
    em.workspace.clock.advance(60);
    const toTeam = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "team", admin_id: ownerId, assignee_id: teamId, body: "Passing you to the team" } });
    expect(toTeam).toMatchObject({ admin_assignee_id: Number(agent.id), team_assignee_id: Number(teamId), waiting_since: null, read: true });
    expect(lastPart(toTeam)).toMatchObject({ part_type: "assignment", body: "<p>Passing you to the team</p>", assigned_to: { type: "team", id: teamId } });
    expect(toTeam.statistics).toMatchObject({
      first_assignment_at: T0 + 60,
      last_assignment_at: T0 + 120,
      count_assignments: 2,
      // The message sent with the team assignment answered the contact.
      first_admin_reply_at: T0 + 120,
      last_admin_reply_at: T0 + 120,
      time_to_assignment: 120,
      count_conversation_parts: 2,
    });
    expect(topics()).toEqual(["conversation.admin.assigned", "conversation.admin.assigned"]);

    const unassigned = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: "0" } });
    expect(unassigned).toMatchObject({ admin_assignee_id: null, team_assignee_id: Number(teamId) });
    expect(lastPart(unassigned)?.assigned_to).toBeNull();
  });

  it("reopens a closed conversation it assigns (assign_and_reopen)", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    await sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: ownerId } });
    em.workspace.clock.advance(30);
    const reopened = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: ownerId } });
    expect(reopened).toMatchObject({ state: "open", open: true, admin_assignee_id: Number(ownerId) });
    expect(lastPart(reopened)).toMatchObject({ part_type: "assign_and_reopen", assigned_to: { type: "admin", id: ownerId } });
    expect(reopened.statistics).toMatchObject({ count_reopens: 1, count_assignments: 1, last_assignment_at: T0 + 30 });
  });
});

describe("closing, opening and snoozing", () => {
  it("closes, snoozes and opens with their parts, states, statistics and webhooks", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    em.workspace.clock.advance(100);
    const closed = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: agent.id, body: "Goodbye :)" } });
    expect(closed).toMatchObject({ state: "closed", open: false, waiting_since: null, snoozed_until: null });
    expect(lastPart(closed)).toMatchObject({ part_type: "close", body: "<p>Goodbye :)</p>", author: { id: agent.id }, state: "closed" });
    expect(closed.statistics).toMatchObject({ first_close_at: T0 + 100, last_close_at: T0 + 100, time_to_first_close: 100, last_closed_by_id: agent.id });

    // Closing again adds nothing.
    const again = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: agent.id } });
    expect(again.conversation_parts?.total_count).toBe(1);

    em.workspace.clock.advance(100);
    const opened = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "open", admin_id: ownerId } });
    expect(opened).toMatchObject({ state: "open", open: true });
    expect(lastPart(opened)).toMatchObject({ part_type: "open", body: null, author: { id: ownerId } });
    expect(opened.statistics).toMatchObject({ count_reopens: 1, last_close_at: T0 + 100 });

    em.workspace.clock.advance(100);
    const until = T0 + 3_600 * 24;
    const snoozed = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "snoozed", admin_id: ownerId, snoozed_until: until } });
    expect(snoozed).toMatchObject({ state: "snoozed", open: true, snoozed_until: until, updated_at: T0 + 300 });
    expect(lastPart(snoozed)).toMatchObject({ part_type: "snoozed", state: "snoozed" });

    // A contact reply wakes it up.
    em.workspace.clock.advance(100);
    const woken = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Still there?" } });
    expect(woken).toMatchObject({ state: "open", snoozed_until: null, statistics: { last_contact_reply_at: T0 + 400, count_reopens: 2 } });

    em.workspace.clock.advance(100);
    const closedAgain = await sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: ownerId } });
    expect(closedAgain.statistics).toMatchObject({ first_close_at: T0 + 100, last_close_at: T0 + 500, time_to_last_close: 500, last_closed_by_id: ownerId });
    expect(topics()).toEqual(["conversation.admin.closed", "conversation.admin.opened", "conversation.admin.snoozed", "conversation.user.replied", "conversation.admin.closed"]);
  });

  it("refuses bad manage requests with Intercom's codes, changing nothing", async () => {
    const id = await startByUser();
    const before = structuredClone(em.workspace.conversations.get(id));
    const cases: Array<[string, unknown, number, string, string | undefined]> = [
      [id, { type: "admin", admin_id: ownerId }, 400, "parameter_not_found", "message_type"],
      [id, { message_type: "reopen", admin_id: ownerId }, 400, "parameter_invalid", "message_type"],
      [id, { message_type: "close", admin_id: ownerId }, 400, "parameter_not_found", "type"],
      [id, { message_type: "close", type: "admin" }, 400, "parameter_not_found", "admin_id"],
      [id, { message_type: "close", type: "admin", admin_id: "1" }, 404, "admin_not_found", undefined],
      [id, { message_type: "snoozed", admin_id: ownerId }, 400, "parameter_not_found", "snoozed_until"],
      [id, { message_type: "snoozed", admin_id: ownerId, snoozed_until: T0 }, 400, "parameter_invalid", "snoozed_until"],
      [id, { message_type: "assignment", type: "admin", admin_id: ownerId }, 400, "parameter_not_found", "assignee_id"],
      [id, { message_type: "assignment", type: "bot", admin_id: ownerId, assignee_id: ownerId }, 400, "parameter_invalid", "type"],
      [id, { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: "424242" }, 404, "admin_not_found", undefined],
      [id, { message_type: "assignment", type: "team", admin_id: ownerId, assignee_id: "424242" }, 404, "team_not_found", undefined],
      ["999999", { message_type: "open", admin_id: ownerId }, 404, "not_found", undefined],
    ];
    for (const [conversationId, body, status, code, field] of cases) {
      const r = await em.request("POST", `/conversations/${conversationId}/parts`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
    }
    expect(em.workspace.conversations.get(id)).toEqual(before);
    expect(events).toEqual([]);
    await expectError(em.sdk().conversations.manage({ conversation_id: "999999", body: { message_type: "open", admin_id: ownerId } }), 404, "not_found");
  });
});

describe("replies' webhooks", () => {
  it("emits user.replied, admin.replied and admin.noted, and moves the reply statistics", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    em.workspace.clock.advance(10);
    await sdk.conversations.reply({ conversation_id: id, body: { message_type: "note", type: "admin", admin_id: ownerId, body: "VIP" } });
    em.workspace.clock.advance(10);
    await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "admin", admin_id: ownerId, body: "Hello" } });
    em.workspace.clock.advance(10);
    await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Hi" } });
    em.workspace.clock.advance(10);
    const last = await sdk.conversations.reply({ conversation_id: id, body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Again" } });
    expect(topics()).toEqual(["conversation.admin.noted", "conversation.admin.replied", "conversation.user.replied", "conversation.user.replied"]);
    expect(last.statistics).toMatchObject({ last_admin_reply_at: T0 + 20, last_contact_reply_at: T0 + 40 });
    expect(events.at(-1)?.record).toMatchObject({ id, updated_at: T0 + 40 });
  });
});

describe("updating", () => {
  it("marks read, sets a title and conversation attributes checked against their definitions", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    for (const attribute of [
      { name: "issue_type", data_type: "list", options: ["Billing", "Bug"] },
      { name: "order_count", data_type: "integer" },
      { name: "due_at", data_type: "date" },
    ]) {
      expect((await em.control("POST", `/workspaces/${em.workspace.id}/conversation_attributes`, attribute)).status).toBe(201);
    }
    em.workspace.clock.advance(5);
    const updated = await sdk.conversations.update({ conversation_id: id, read: true, title: "Billing question", custom_attributes: { issue_type: "Billing", order_count: 3, due_at: T0 + 86_400 } });
    expect(updated).toMatchObject({ read: true, title: "Billing question", updated_at: T0 + 5, custom_attributes: { issue_type: "Billing", order_count: 3, due_at: T0 + 86_400 } });
    const cleared = await em.request("PUT", `/conversations/${id}`, { custom_attributes: { order_count: null } });
    expect((cleared.body as { custom_attributes: unknown }).custom_attributes).toEqual({ issue_type: "Billing", due_at: T0 + 86_400 });

    const before = structuredClone(em.workspace.conversations.get(id));
    const cases: Array<[string, unknown, number, string, string | undefined]> = [
      [id, { custom_attributes: { bad_attr: "x" } }, 400, "parameter_invalid", "custom_attributes.bad_attr"],
      [id, { custom_attributes: { issue_type: "Refund" } }, 400, "parameter_invalid", "custom_attributes.issue_type"],
      [id, { custom_attributes: { order_count: 1.5 } }, 400, "parameter_invalid", "custom_attributes.order_count"],
      [id, { read: "yes" }, 400, "parameter_invalid", "read"],
      [id, { company_id: "123" }, 400, "parameter_invalid", "company_id"],
      ["999999", { read: true }, 404, "not_found", undefined],
    ];
    for (const [conversationId, body, status, code, field] of cases) {
      const r = await em.request("PUT", `/conversations/${conversationId}`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
    }
    expect(em.workspace.conversations.get(id)).toEqual(before);
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/conversation_attributes`)).body).toMatchObject({ attributes: [{ name: "issue_type" }, { name: "order_count" }, { name: "due_at" }] });
    expect((await em.control("POST", `/workspaces/${em.workspace.id}/conversation_attributes`, { name: "x", data_type: "list" })).status).toBe(400);
  });
});

describe("tags", () => {
  it("tags and untags a conversation, answering the tag with its application", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    const tag = await sdk.tags.create({ name: "Billing" });
    em.workspace.clock.advance(7);
    const applied = await sdk.tags.tagConversation({ conversation_id: id, id: tag.id, admin_id: agent.id });
    expect(applied).toEqual({ type: "tag", id: tag.id, name: "Billing", applied_at: T0 + 7, applied_by: { type: "admin", id: agent.id } });
    em.workspace.clock.advance(7);
    // Applied once: the first application stays.
    expect(await sdk.tags.tagConversation({ conversation_id: id, id: tag.id, admin_id: ownerId })).toMatchObject({ applied_at: T0 + 7 });
    const conversation = await sdk.conversations.find({ conversation_id: id });
    expect(conversation.tags).toEqual({ type: "tag.list", tags: [{ type: "tag", id: tag.id, name: "Billing", applied_at: T0 + 7, applied_by: { type: "admin", id: agent.id } }] });
    expect(conversation.updated_at).toBe(T0 + 7);

    const removed = await sdk.tags.untagConversation({ conversation_id: id, tag_id: tag.id, admin_id: ownerId });
    expect(removed).toMatchObject({ type: "tag", id: tag.id, name: "Billing" });
    expect((await sdk.conversations.find({ conversation_id: id })).tags?.tags).toEqual([]);

    await expectError(sdk.tags.tagConversation({ conversation_id: "999999", id: tag.id, admin_id: ownerId }), 404, "not_found");
    await expectError(sdk.tags.tagConversation({ conversation_id: id, id: "424242", admin_id: ownerId }), 404, "tag_not_found");
    await expectError(sdk.tags.untagConversation({ conversation_id: id, tag_id: "424242", admin_id: ownerId }), 404, "tag_not_found");
    await expectError(sdk.tags.tagConversation({ conversation_id: id, id: tag.id, admin_id: "1" }), 404, "admin_not_found");
    const missing = await em.request("POST", `/conversations/${id}/tags`, { admin_id: ownerId });
    expect(missing).toMatchObject({ status: 400, body: { errors: [{ code: "parameter_not_found", field: "id" }] } });
    expect(em.workspace.conversations.get(id)?.tag_ids).toEqual([]);
  });
});

describe("ratings (control API)", () => {
  it("records a contact's rating after a close and emits conversation.rating.added", async () => {
    const sdk = em.sdk();
    const id = await startByUser();
    await sdk.conversations.manage({ conversation_id: id, body: { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: agent.id } });
    em.workspace.clock.advance(60);
    await sdk.conversations.manage({ conversation_id: id, body: { message_type: "close", type: "admin", admin_id: agent.id } });
    em.workspace.clock.advance(60);
    const rated = await em.control("POST", `/workspaces/${em.workspace.id}/conversations/${id}/rating`, { rating: 4, remark: "Quick" });
    expect(rated.status).toBe(200);
    const conversation = await sdk.conversations.find({ conversation_id: id });
    expect(conversation.conversation_rating).toEqual({ rating: 4, remark: "Quick", created_at: T0 + 60, updated_at: T0 + 120, contact: { type: "contact", id: user.id, external_id: "ext-ada" }, teammate: { type: "admin", id: agent.id } });
    expect(topics().at(-1)).toBe("conversation.rating.added");

    em.workspace.clock.advance(60);
    await em.control("POST", `/workspaces/${em.workspace.id}/conversations/${id}/rating`, { rating: 5 });
    expect((await sdk.conversations.find({ conversation_id: id })).conversation_rating).toMatchObject({ rating: 5, remark: "Quick", created_at: T0 + 60, updated_at: T0 + 180 });

    const other = em.workspace.insertContact({ role: "user", email: "other@example.com" });
    for (const [body, status] of [[{ rating: 6 }, 400], [{ rating: 3, contact_id: other.id }, 400], [{}, 400]] as const) {
      expect((await em.control("POST", `/workspaces/${em.workspace.id}/conversations/${id}/rating`, body)).status, JSON.stringify(body)).toBe(status);
    }
    expect((await em.control("POST", `/workspaces/${em.workspace.id}/conversations/999999/rating`, { rating: 3 })).status).toBe(404);
  });
});

describe("search over the new fields", () => {
  async function search(query: unknown): Promise<string[]> {
    const r = await em.request("POST", "/conversations/search", { query });
    expect(r.status, JSON.stringify(query)).toBe(200);
    return (r.body as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id).sort();
  }

  it("finds by reply, assignment, close and rating dates (by day in the workspace's zone), state, assignees and tags, behind the search delay", async () => {
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { timezone: "Pacific/Auckland", search_delay: 120 });
    const sdk = em.sdk();
    // 2023-11-15 08:40 in Auckland (UTC+13) is still 2023-11-14 in UTC.
    const localMorning = 1_700_001_600 - 3_600 * 3; // 2023-11-14T19:40Z
    em.workspace.clock.set(localMorning, { frozen: true });
    const a = await startByUser();
    const b = await startByUser();
    const tag = await sdk.tags.create({ name: "Urgent" });
    await sdk.tags.tagConversation({ conversation_id: a, id: tag.id, admin_id: ownerId });
    await sdk.conversations.manage({ conversation_id: a, body: { message_type: "assignment", type: "team", admin_id: ownerId, assignee_id: teamId } });
    await sdk.conversations.manage({ conversation_id: b, body: { message_type: "assignment", type: "admin", admin_id: ownerId, assignee_id: agent.id } });
    await sdk.conversations.reply({ conversation_id: b, body: { message_type: "comment", type: "admin", admin_id: agent.id, body: "Hi" } });
    await sdk.conversations.manage({ conversation_id: b, body: { message_type: "close", type: "admin", admin_id: agent.id } });
    await em.control("POST", `/workspaces/${em.workspace.id}/conversations/${b}/rating`, { rating: 2 });

    // Nothing is searchable before the delay.
    expect(await search({ field: "state", operator: "=", value: "closed" })).toEqual([]);
    em.workspace.clock.advance(120);

    const today = localMorning;
    const yesterday = localMorning - 86_400;
    expect(await search({ field: "statistics.last_contact_reply_at", operator: "=", value: today })).toEqual([a, b].sort());
    expect(await search({ field: "statistics.last_contact_reply_at", operator: ">", value: yesterday })).toEqual([a, b].sort());
    expect(await search({ field: "statistics.last_contact_reply_at", operator: ">", value: today })).toEqual([]);
    expect(await search({ field: "statistics.last_admin_reply_at", operator: "=", value: today })).toEqual([b]);
    expect(await search({ field: "statistics.last_assignment_at", operator: "=", value: today })).toEqual([a, b].sort());
    expect(await search({ field: "statistics.last_close_at", operator: "=", value: today })).toEqual([b]);
    expect(await search({ field: "conversation_rating.replied_at", operator: "=", value: today })).toEqual([b]);
    expect(await search({ field: "conversation_rating.score", operator: "<", value: 3 })).toEqual([b]);
    expect(await search({ field: "state", operator: "=", value: "closed" })).toEqual([b]);
    expect(await search({ field: "admin_assignee_id", operator: "=", value: Number(agent.id) })).toEqual([b]);
    expect(await search({ field: "team_assignee_id", operator: "=", value: Number(teamId) })).toEqual([a]);
    expect(await search({ field: "tag_ids", operator: "IN", value: [tag.id] })).toEqual([a]);
    // 00:40 the next local day (still 2023-11-15 in UTC): that morning is "yesterday" now.
    em.workspace.clock.set(localMorning + 16 * 3_600, { frozen: true });
    expect(await search({ field: "statistics.last_contact_reply_at", operator: "=", value: em.workspace.clock.now() })).toEqual([]);
    expect(await search({ field: "statistics.last_contact_reply_at", operator: "<", value: em.workspace.clock.now() })).toEqual([a, b].sort());

    // A new reply moves the statistic; search sees it only after the delay.
    await sdk.conversations.reply({ conversation_id: a, body: { message_type: "comment", type: "user", intercom_user_id: user.id, body: "Hello?" } });
    const now = em.workspace.clock.now();
    expect(await search({ field: "statistics.last_contact_reply_at", operator: "=", value: now })).toEqual([]);
    em.workspace.clock.advance(120);
    expect(await search({ field: "statistics.last_contact_reply_at", operator: "=", value: now })).toEqual([a]);
  });
});
