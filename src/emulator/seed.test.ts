import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ContactRecord } from "./model.js";
import { DEMO_CONTACTS, DEMO_CONVERSATIONS, seedWorkspace } from "./seed.js";
import { startTestEmulator, type TestEmulator } from "./testing/harness.js";
import { Workspace } from "./workspace.js";

const DAY = 86_400;
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

function frozenWorkspace(id = "seeded"): Workspace {
  const ws = new Workspace({ token: `token-${id}`, id, timezone: "UTC" });
  ws.clock.set(NOW, { frozen: true });
  return ws;
}

function everything(ws: Workspace): unknown {
  return {
    contacts: [...ws.contacts.values()],
    companies: [...ws.companies.values()],
    tags: [...ws.tags.values()],
    admins: [...ws.admins.values()],
    conversations: [...ws.conversations.values()],
  };
}

describe("seedWorkspace", () => {
  it("demo: a few hundred contacts, 20 companies, 10 tags and 50 conversations that hang together", () => {
    const ws = frozenWorkspace();
    const summary = seedWorkspace(ws, { preset: "demo" });
    expect(summary).toEqual({ contacts: DEMO_CONTACTS, companies: 20, tags: 10, conversations: DEMO_CONVERSATIONS });
    expect([ws.contacts.size, ws.companies.size, ws.tags.size, ws.conversations.size]).toEqual([300, 20, 10, 50]);
    expect(ws.admins.size).toBe(4);

    const contacts = [...ws.contacts.values()];
    const users = contacts.filter((c) => c.role === "user");
    const leads = contacts.filter((c) => c.role === "lead");
    expect(users.length).toBeGreaterThan(150);
    expect(leads.length).toBeGreaterThan(50);
    // Users: an external id and (nearly always) an email, both unique; leads have no external id.
    expect(users.every((c) => c.external_id !== null)).toBe(true);
    expect(new Set(users.map((c) => c.external_id)).size).toBe(users.length);
    const userEmails = users.flatMap((c) => (c.email === null ? [] : [c.email.toLowerCase()]));
    expect(userEmails.length).toBeGreaterThan(users.length * 0.9);
    expect(new Set(userEmails).size).toBe(userEmails.length);
    for (const c of users) if (c.email !== null) expect(ws.userIdByEmail(c.email)).toBe(c.id);
    expect(leads.every((c) => c.external_id === null)).toBe(true);
    expect(contacts.every((c) => c.email === null || /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/.test(c.email))).toBe(true);
    expect(contacts.filter((c) => c.name !== null).length).toBeGreaterThan(200);
    expect(contacts.filter((c) => c.phone !== null).length).toBeGreaterThan(50);
    expect(new Set(contacts.map((c) => c.location.country)).size).toBeGreaterThan(10);
    expect(users.every((c) => typeof c.custom_attributes.plan === "string" && typeof c.custom_attributes.seats === "number")).toBe(true);

    // Created over the past 90 days, a share of them changed later, nothing in the future.
    expect(contacts.every((c) => c.created_at >= NOW - 90 * DAY && c.created_at <= NOW)).toBe(true);
    expect(contacts.every((c) => c.updated_at >= c.created_at && c.updated_at <= NOW)).toBe(true);
    const updatedLater = contacts.filter((c) => c.updated_at > c.created_at).length;
    expect(updatedLater).toBeGreaterThan(30);
    expect(updatedLater).toBeLessThan(300);
    expect(Math.max(...contacts.map((c) => c.created_at)) - Math.min(...contacts.map((c) => c.created_at))).toBeGreaterThan(80 * DAY);
    // Ids are time-prefixed like Intercom's.
    expect(contacts.every((c) => /^[0-9a-f]{24}$/.test(c.id) && parseInt(c.id.slice(0, 8), 16) === c.created_at)).toBe(true);

    // Companies and tags are real records, and contacts point only at them.
    const withCompany = contacts.filter((c) => c.company_ids.length > 0);
    expect(withCompany.length).toBeGreaterThan(100);
    expect(withCompany.every((c) => c.company_ids.every((id) => ws.companies.has(id)))).toBe(true);
    const tagged = contacts.filter((c) => c.tags.length > 0);
    expect(tagged.length).toBeGreaterThan(30);
    expect(tagged.every((c) => c.tags.every((t) => ws.tags.has(t.id) && t.applied_at >= c.created_at))).toBe(true);
    for (const company of ws.companies.values()) {
      expect(ws.companyByExternalId(company.company_id)).toBe(company);
      expect(company.website).toMatch(/^https:\/\/www\.[a-z-]+\.example$/);
    }
    expect(new Set([...ws.tags.values()].map((t) => t.name)).size).toBe(10);
  });

  it("demo conversations: mostly started by contacts, some by teammates, in time order with a few parts", () => {
    const ws = frozenWorkspace();
    seedWorkspace(ws, { preset: "demo" });
    const conversations = [...ws.conversations.values()];
    const byContact = conversations.filter((c) => c.source.delivered_as === "customer_initiated");
    const byAdmin = conversations.filter((c) => c.source.delivered_as === "admin_initiated");
    expect(byContact.length).toBeGreaterThan(byAdmin.length);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(conversations.some((c) => c.parts.length >= 2)).toBe(true);
    expect(conversations.some((c) => c.state === "closed")).toBe(true);
    expect(conversations.some((c) => c.state === "open")).toBe(true);
    for (const c of conversations) {
      const contact = ws.contacts.get(c.contact_ids[0] ?? "");
      expect(contact).toBeDefined();
      expect(contact?.email).not.toBeNull();
      expect(c.created_at).toBeGreaterThanOrEqual(contact?.created_at ?? Infinity);
      expect(c.updated_at).toBeLessThanOrEqual(NOW);
      const author = c.source.author;
      if (c.source.delivered_as === "customer_initiated") expect(author).toMatchObject({ id: contact?.id, type: contact?.role });
      else expect(ws.admins.has(author.id)).toBe(true);
      let t = c.created_at;
      for (const part of c.parts) {
        expect(part.created_at).toBeGreaterThanOrEqual(t);
        t = part.created_at;
      }
      expect(c.updated_at).toBe(t);
      expect(c.open).toBe(c.state !== "closed");
      if (c.state === "closed") expect(c.waiting_since).toBeNull();
    }
  });

  it("is deterministic: the same preset and clock give the same records, ids included", () => {
    const a = frozenWorkspace();
    const b = frozenWorkspace();
    seedWorkspace(a, { preset: "demo" });
    seedWorkspace(b, { preset: "demo" });
    expect(everything(b)).toEqual(everything(a));
    const c = frozenWorkspace();
    c.clock.advance(DAY);
    seedWorkspace(c, { preset: "demo" });
    // A later clock moves every date, not the data itself.
    const first = (ws: Workspace): ContactRecord => [...ws.contacts.values()][0] as ContactRecord;
    expect(first(c).created_at - first(a).created_at).toBe(DAY);
    expect(first(c).email).toBe(first(a).email);
  });

  it("`contacts` overrides the number of contacts; `none` seeds nothing; bad numbers are refused", () => {
    const small = frozenWorkspace();
    expect(seedWorkspace(small, { preset: "demo", contacts: 40 })).toEqual({ contacts: 40, companies: 20, tags: 10, conversations: 50 });
    expect(small.contacts.size).toBe(40);
    const empty = frozenWorkspace();
    expect(seedWorkspace(empty, { preset: "demo", contacts: 0 })).toEqual({ contacts: 0, companies: 20, tags: 10, conversations: 0 });
    const none = frozenWorkspace();
    expect(seedWorkspace(none, { preset: "none" })).toEqual({ contacts: 0, companies: 0, tags: 0, conversations: 0 });
    expect(everything(none)).toMatchObject({ contacts: [], companies: [], tags: [], conversations: [] });
    expect(() => seedWorkspace(frozenWorkspace(), { preset: "demo", contacts: -1 })).toThrow(RangeError);
    expect(() => seedWorkspace(frozenWorkspace(), { preset: "demo", contacts: 1.5 })).toThrow(RangeError);
  });

  it("seeding twice adds new contacts without clashing and reuses tags, companies and teammates", () => {
    const ws = frozenWorkspace();
    seedWorkspace(ws, { preset: "demo", contacts: 100 });
    const again = seedWorkspace(ws, { preset: "demo", contacts: 100 });
    expect(again).toEqual({ contacts: 100, companies: 0, tags: 0, conversations: 50 });
    expect([ws.contacts.size, ws.companies.size, ws.tags.size, ws.conversations.size, ws.admins.size]).toEqual([200, 20, 10, 100, 4]);
    const users = [...ws.contacts.values()].filter((c) => c.role === "user");
    const emails = users.flatMap((c) => (c.email === null ? [] : [c.email]));
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(users.map((c) => c.external_id)).size).toBe(users.length);
  });

  it("raises no workspace events while seeding, and the workspace emits again afterwards", () => {
    const ws = frozenWorkspace();
    const topics: string[] = [];
    ws.onEvent((event) => topics.push(event.topic));
    seedWorkspace(ws, { preset: "demo" });
    expect(topics).toEqual([]);
    ws.insertContact({ role: "lead", email: "after@example.com" });
    expect(topics).toEqual(["contact.lead.created"]);
    expect(Object.hasOwn(ws, "emit")).toBe(false);
  });

  it("seeds 100,000 contacts in a few seconds, keeping emails and external ids unique", () => {
    const ws = frozenWorkspace();
    const started = performance.now();
    seedWorkspace(ws, { preset: "demo", contacts: 100_000 });
    const seconds = (performance.now() - started) / 1000;
    expect(ws.contacts.size).toBe(100_000);
    // Generous for a loaded CI machine; about 2-3 s on a laptop.
    expect(seconds).toBeLessThan(15);
    const users = [...ws.contacts.values()].filter((c) => c.role === "user");
    const emails = users.flatMap((c) => (c.email === null ? [] : [c.email]));
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(users.map((c) => c.external_id)).size).toBe(users.length);
  });
});

describe("seeded data as the emulator serves it", () => {
  let em: TestEmulator;
  afterEach(async () => {
    await em.close();
  });

  it("matches Intercom's description: contacts, conversations, companies, tags, admins, teams and data attributes", async () => {
    em = await startTestEmulator();
    seedWorkspace(em.workspace, { preset: "demo" });
    const page = await em.request("GET", "/contacts?per_page=150");
    expect(page.status).toBe(200);
    const body = page.body as { data: Array<{ id: string; role: string }>; total_count: number };
    expect(body.total_count).toBe(300);
    expect(body.data).toHaveLength(150);
    const tagged = [...em.workspace.contacts.values()].find((c) => c.tags.length > 0 && c.company_ids.length > 0);
    expect((await em.request("GET", `/contacts/${tagged?.id ?? ""}`)).body).toMatchObject({ id: tagged?.id, tags: { total_count: tagged?.tags.length } });

    const conversation = [...em.workspace.conversations.values()].find((c) => c.parts.length >= 2);
    const retrieved = await em.request("GET", `/conversations/${conversation?.id ?? ""}`);
    expect(retrieved.status).toBe(200);
    expect(retrieved.body).toMatchObject({ type: "conversation", id: conversation?.id });
    for (const path of ["/conversations", "/companies", "/tags", "/admins", "/teams", "/data_attributes", "/companies/scroll"]) {
      const r = await em.request("GET", path);
      expect(r.status, path).toBe(200);
    }
    // The harness's close() throws if any of those answers broke the description.
  });

  it("seeds through the control API without sending webhooks", async () => {
    em = await startTestEmulator();
    const hits: string[] = [];
    const receiver = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const topics = ["contact.user.created", "contact.lead.created", "contact.user.updated", "contact.lead.updated", "conversation.user.created"];
      expect((await em.control("POST", `/workspaces/${em.workspace.id}/webhooks`, { url, topics })).status).toBe(201);
      const seeded = await em.control("POST", `/workspaces/${em.workspace.id}/seed`, { preset: "demo", contacts: 120 });
      expect(seeded.status).toBe(200);
      expect(seeded.body).toMatchObject({ seeded: { contacts: 120, companies: 20, tags: 10, conversations: 50 }, workspace: { counts: { contacts: 120 } } });
      // A real change afterwards is delivered: the receiver works, seeding simply sent nothing.
      await em.request("POST", "/contacts", { role: "lead", email: "real@example.com" });
      await em.emulator.webhooks.idle();
      expect(hits).toEqual(["/hook"]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
