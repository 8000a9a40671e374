import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrigConversation_Response, TrigLead_Response, TrigUser_Response } from "../contract/index.js";
import type { IntercomContact } from "../intercom/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { Lookups } from "./lookups.js";
import { conversationStarterId, mapConversation, mapTrigLead, mapTrigUser } from "./mapping.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

async function company(companyId: string, name: string): Promise<string> {
  const answer = await c.em.request("POST", "/companies", { company_id: companyId, name });
  expect(answer.status).toBe(200);
  return (answer.body as { id: string }).id;
}

async function tag(name: string): Promise<string> {
  const answer = await c.em.request("POST", "/tags", { name });
  expect(answer.status).toBe(200);
  return (answer.body as { id: string }).id;
}

async function contactWith(role: "user" | "lead", email: string, companyIds: string[], tagIds: string[]): Promise<IntercomContact> {
  const created = await c.intercom.createContact(role, { email, name: email.split("@")[0] ?? email });
  if (!created.ok) throw new Error("create failed");
  for (const id of companyIds) expect((await c.em.request("POST", `/contacts/${created.value.id}/companies`, { id })).status).toBe(200);
  for (const id of tagIds) expect((await c.em.request("POST", `/contacts/${created.value.id}/tags`, { id })).status).toBe(200);
  const read = await c.intercom.getContact(created.value.id);
  if (!read.ok) throw new Error("read failed");
  return read.value;
}

describe("trigger shapes", () => {
  it("maps a user with its companies' and tags' names, fetching each name once per Lookups", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const acme = await company("acme", "Acme");
    const globex = await company("globex", "Globex");
    const vip = await tag("vip");
    const beta = await tag("beta");
    const ada = await contactWith("user", "ada@example.com", [acme, globex], [vip, beta]);
    const bob = await contactWith("user", "bob@example.com", [acme], [vip]);
    await c.resetCalls();

    const lookups = new Lookups(c.intercom);
    const adaNames = await lookups.contactNames(ada);
    const bobNames = await lookups.contactNames(bob);
    if (!adaNames.ok || !bobNames.ok) throw new Error("lookups failed");
    const mapped = mapTrigUser(ada, adaNames.value);
    expect(mapped).toEqual({
      id: ada.id,
      created_at: "2026-11-24T12:30:38.000Z",
      user_id: null,
      email: "ada@example.com",
      phone: null,
      name: "ada",
      session_count: null,
      avatar: { image_url: null },
      unsubscribed_from_emails: false,
      location_data: { city_name: null, country_name: null, region_name: null, latitude: null, longitude: null, postal_code: null, timezone: null },
      pseudonym: null,
      companies: { companies: [{ name: "Acme" }, { name: "Globex" }] },
      tags: { companies: [{ name: "vip" }, { name: "beta" }] },
    });
    expect(TrigUser_Response.parse(mapped)).toEqual(mapped);
    expect(mapTrigUser(bob, bobNames.value)).toMatchObject({ companies: { companies: [{ name: "Acme" }] }, tags: { companies: [{ name: "vip" }] } });
    // Two companies, one tag list: Acme is not fetched again for Bob.
    expect(await c.calls()).toEqual({ total: 3, calls: { "GET /companies/:company_id": 2, "GET /tags": 1 } });
  });

  it("maps a lead with no companies or tags to empty lists, without calls", async () => {
    const lead = await contactWith("lead", "plain@example.com", [], []);
    await c.resetCalls();
    const names = await new Lookups(c.intercom).contactNames(lead);
    if (!names.ok) throw new Error("lookups failed");
    const mapped = mapTrigLead(lead, names.value);
    expect(mapped).toMatchObject({ companies: { companies: [] }, tags: { companies: [] } });
    expect(mapped).not.toHaveProperty("session_count");
    expect(TrigLead_Response.parse(mapped)).toEqual(mapped);
    expect((await c.calls()).total).toBe(0);
  });

  it("reads every name of a contact with more companies and tags than Intercom embeds", async () => {
    const companyIds: string[] = [];
    const tagIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      companyIds.push(await company(`co-${i}`, `Company ${i}`));
      tagIds.push(await tag(`tag-${i}`));
    }
    const many = await contactWith("lead", "many@example.com", companyIds, tagIds);
    expect(many.companies?.has_more).toBe(true);
    await c.resetCalls();
    const names = await new Lookups(c.intercom).contactNames(many);
    if (!names.ok) throw new Error("lookups failed");
    expect([...names.value.companies].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `Company ${i}`).sort());
    expect([...names.value.tags].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `tag-${i}`).sort());
    const counts = await c.calls();
    expect(counts.calls["GET /contacts/:contact_id/companies"]).toBe(1);
    expect(counts.calls["GET /contacts/:contact_id/tags"]).toBe(1);
  });

  it("maps a conversation a lead started, with the lead's role looked up", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const lead = await contactWith("lead", "talker@example.com", [], []);
    const started = await c.em.request("POST", "/conversations", { from: { type: "lead", id: lead.id }, body: "Is anyone there?" });
    const conversationId = (started.body as { conversation_id: string }).conversation_id;
    const conversation = await c.intercom.getConversation(conversationId);
    if (!conversation.ok) throw new Error(conversation.error.message);
    const starter = conversationStarterId(conversation.value);
    expect(starter).toBe(lead.id);
    const lookups = new Lookups(c.intercom);
    const role = await lookups.contactRole(starter ?? "");
    expect(role).toEqual({ ok: true, value: "lead" });
    await c.resetCalls();
    expect(await lookups.contactRole(starter ?? "")).toEqual({ ok: true, value: "lead" });
    expect((await c.calls()).total).toBe(0);

    const mapped = mapConversation(conversation.value, "lead");
    expect(mapped).toEqual({
      id: conversationId,
      created_at: "2026-11-24T12:30:38.000Z",
      updated_at: "2026-11-24T12:30:38.000Z",
      assignee: { id: null },
      conversation_message: {
        author: { id: lead.id, type: "lead" },
        body: "<p>Is anyone there?</p>",
        subject: null,
        url: null,
      },
      user: { id: lead.id, type: "lead" },
    });
    expect(TrigConversation_Response.parse(mapped)).toEqual(mapped);
  });

  it("answers null for the role of a contact that no longer exists", async () => {
    expect(await new Lookups(c.intercom).contactRole("5f0000000000000000000000")).toEqual({ ok: true, value: null });
  });
});
