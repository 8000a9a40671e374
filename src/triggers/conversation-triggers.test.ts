import { afterEach, describe, expect, it } from "vitest";
import { OPERATIONS } from "../contract/index.js";
import { closeConversation } from "../emulator/routes/conversation-actions.js";
import { addAdminReply, addContactReply, startAdminConversation, startContactConversation } from "../emulator/routes/conversation-records.js";
import { buildSwagger } from "../server/openapi/swagger.js";
import { startTriggerFixture, type TriggerFixture } from "./testing/harness.js";
import { adminReplies, assignments, closes, contactReplies, ratings } from "./testing/conversation-events.js";
import { describeTriggerScenarios } from "./testing/scenarios.js";

describe("the conversation triggers, under the first four's scenarios", () => {
  for (const maker of [contactReplies, adminReplies, assignments, closes, ratings]) describeTriggerScenarios(maker);
});

let f: TriggerFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const T0 = 1_796_000_000;

function owner(fx: TriggerFixture) {
  const admin = fx.em.workspace.admins.get(fx.em.workspace.ownerAdminId);
  if (admin === undefined) throw new Error("no owner");
  return admin;
}

describe("what each conversation trigger fires for", () => {
  it("TrigContactReplied: a reply, not the message that starts a conversation; a reply to a teammate's message too", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const ws = f.em.workspace;
    const sub = await f.subscribe("TrigContactReplied");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const lead = ws.insertContact({ role: "lead", email: "asks@example.com" });
    const asked = startContactConversation(ws, { contact: lead, body: "<p>Hello?</p>" }); // TrigNewConversation's event
    const user = ws.insertContact({ role: "user", email: "told@example.com" });
    const told = startAdminConversation(ws, { admin: owner(f), contacts: [user], channel: "conversation", subject: "", body: "<p>News</p>", openNow: true });
    await f.advanceClock(5);
    addContactReply(ws, told, user, { body: "<p>Thanks</p>" });
    await f.poll(sub.id);
    await f.advanceClock(120);
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(payloads.map((p) => p.id)).toEqual([told.id]);
    expect(payloads.map((p) => p.id)).not.toContain(asked.id);
    expect(payloads[0]).toMatchObject({ type: "conversation", id: told.id, statistics: { last_contact_reply_at: T0 + 15 } });
    expect(payloads[0]).not.toHaveProperty("conversation_parts");
  });

  it("TrigAdminReplied: a comment and a close with a message, never a note", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const ws = f.em.workspace;
    const lead = ws.insertContact({ role: "lead", email: "waiting@example.com" });
    const noted = startContactConversation(ws, { contact: lead, body: "<p>One</p>" });
    const closedWithMessage = startContactConversation(ws, { contact: lead, body: "<p>Two</p>" });
    const sub = await f.subscribe("TrigAdminReplied");
    await f.poll(sub.id);
    await f.advanceClock(10);
    addAdminReply(ws, noted, owner(f), "note", { body: "<p>Internal</p>" });
    closeConversation(ws, closedWithMessage, owner(f), "<p>Solved, closing</p>");
    await f.poll(sub.id);
    expect((await f.drain(sub.id)).map((p) => p.id)).toEqual([closedWithMessage.id]);
  });

  it("says in the Swagger file which triggers are push only, and how to set the push up", () => {
    const swagger = JSON.stringify(buildSwagger());
    for (const id of ["TrigTagAddedToContact", "TrigLeadConverted"] as const) {
      expect(OPERATIONS[id].description).toMatch(/^.*Push only: .*intercom_client_secret.*INTERCOM_CLIENT_SECRET.*\/intercom\/webhooks\/\{connectionId\}/);
      expect(swagger).toContain(OPERATIONS[id].description.slice(0, 60));
    }
    expect(swagger).toContain("Push only: Intercom's search cannot see this event");
    expect(OPERATIONS.TrigContactReplied.description).not.toContain("Push only");
  });
});
