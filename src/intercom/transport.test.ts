import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isConnectorError } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "./testing/emulator.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

async function createCompany(companyId: string, name: string): Promise<string> {
  const answer = await c.em.request("POST", "/companies", { company_id: companyId, name });
  expect(answer.status).toBe(200);
  return (answer.body as { id: string }).id;
}

describe("contacts", () => {
  it("creates, reads and updates a contact, parsed to the shape mapping reads", async () => {
    const created = await c.intercom.createContact("lead", { email: "lee@example.com", name: "Lee", avatar: "https://example.com/lee.png" });
    if (!created.ok) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
    expect(created.value).toMatchObject({ type: "contact", role: "lead", email: "lee@example.com", name: "Lee", avatar: { image_url: "https://example.com/lee.png" } });
    const read = await c.intercom.getContact(created.value.id);
    expect(read.ok && read.value.id).toBe(created.value.id);
    const updated = await c.intercom.updateContact(created.value.id, { phone: "+351 900 000 000" });
    expect(updated.ok && updated.value.phone).toBe("+351 900 000 000");
    expect((await c.calls()).total).toBe(3);
  });

  it("answers a second user with the same email as ContactExists naming the first", async () => {
    const first = await c.intercom.createContact("user", { email: "dup@example.com" });
    if (!first.ok) throw new Error("first create failed");
    const second = await c.intercom.createContact("user", { email: "DUP@example.com" });
    expect(second).toEqual({ ok: false, error: { kind: "contact_exists", contactId: first.value.id } });
  });

  it("maps an unknown contact id to not_found", async () => {
    const missing = await c.intercom.getContact("000000000000000000000000");
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.error).toMatchObject({ code: "not_found", status: 404, message: "No contact with id 000000000000000000000000" });
  });

  it("pages search results with Intercom's cursor", async () => {
    for (let i = 0; i < 7; i++) c.em.workspace.insertContact({ role: i < 5 ? "lead" : "user", email: `s${i}@example.com` });
    const seen: string[] = [];
    let startingAfter: string | undefined;
    let pages = 0;
    do {
      const page = await c.intercom.searchContacts({ field: "role", operator: "=", value: "lead" }, { perPage: 2, sort: { field: "created_at", order: "ascending" }, ...(startingAfter === undefined ? {} : { startingAfter }) });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.items.map((contact) => contact.email ?? ""));
      expect(page.value.totalCount).toBe(5);
      startingAfter = page.value.nextStartingAfter ?? undefined;
      pages++;
    } while (startingAfter !== undefined);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(["s0@example.com", "s1@example.com", "s2@example.com", "s3@example.com", "s4@example.com"]);
  });

  it("lists contacts one page at a time", async () => {
    for (let i = 0; i < 3; i++) c.em.workspace.insertContact({ role: "lead", email: `l${i}@example.com` });
    const first = await c.intercom.listContacts({ perPage: 2 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.items).toHaveLength(2);
    expect(first.value.nextStartingAfter).not.toBeNull();
    const second = await c.intercom.listContacts({ perPage: 2, startingAfter: first.value.nextStartingAfter ?? "" });
    expect(second.ok && second.value.items.length).toBe(1);
    expect(second.ok && second.value.nextStartingAfter).toBeNull();
  });
});

describe("companies and tags", () => {
  it("finds a company by the customer's company_id, or null", async () => {
    const id = await createCompany("acme", "Acme Inc");
    const found = await c.intercom.findCompanyByCompanyId("acme");
    expect(found.ok && found.value).toMatchObject({ id, company_id: "acme", name: "Acme Inc" });
    expect(await c.intercom.findCompanyByCompanyId("nobody")).toEqual({ ok: true, value: null });
  });

  it("attaches a company and reads names back by id, per contact and for the workspace", async () => {
    const companyId = await createCompany("globex", "Globex");
    const contact = await c.intercom.createContact("user", { email: "g@example.com" });
    if (!contact.ok) throw new Error("create failed");
    const attached = await c.intercom.attachCompanyToContact(contact.value.id, companyId);
    expect(attached.ok && attached.value.name).toBe("Globex");
    expect((await c.intercom.getCompany(companyId)).ok).toBe(true);
    const companies = await c.intercom.listContactCompanies(contact.value.id);
    expect(companies.ok && companies.value.map((company) => company.name)).toEqual(["Globex"]);

    const tag = await c.em.request("POST", "/tags", { name: "vip" });
    const tagId = (tag.body as { id: string }).id;
    expect((await c.em.request("POST", `/contacts/${contact.value.id}/tags`, { id: tagId })).status).toBe(200);
    const contactTags = await c.intercom.listContactTags(contact.value.id);
    expect(contactTags.ok && contactTags.value.map((t) => t.name)).toEqual(["vip"]);
    const allTags = await c.intercom.listTags();
    expect(allTags.ok && allTags.value.map((t) => t.name)).toEqual(["vip"]);
    const reread = await c.intercom.getContact(contact.value.id);
    expect(reread.ok && reread.value.companies?.data?.map((ref) => ref.id)).toEqual([companyId]);
    expect(reread.ok && reread.value.tags?.data?.map((ref) => ref.id)).toEqual([tagId]);
  });

  it("maps an unknown company id to not_found", async () => {
    const missing = await c.intercom.getCompany("ffffffffffffffffffffffff");
    expect(!missing.ok && missing.error.code).toBe("not_found");
  });
});

describe("conversations", () => {
  it("searches and reads conversations a contact started", async () => {
    const contact = await c.intercom.createContact("lead", { email: "talker@example.com" });
    if (!contact.ok) throw new Error("create failed");
    const started = await c.em.request("POST", "/conversations", { from: { type: "lead", id: contact.value.id }, body: "Hello there" });
    expect(started.status).toBe(200);
    const conversationId = (started.body as { conversation_id: string }).conversation_id;
    const page = await c.intercom.searchConversations({ field: "id", operator: "=", value: conversationId });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items.map((conversation) => conversation.id)).toEqual([conversationId]);
    const read = await c.intercom.getConversation(conversationId);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.contacts?.contacts?.[0]?.id).toBe(contact.value.id);
    expect(read.value.source?.body).toContain("Hello there");
    const missing = await c.intercom.getConversation("999999999");
    expect(!missing.ok && missing.error.code).toBe("not_found");
  });
});

describe("failures", () => {
  it("maps a bad token to intercom_unauthorized without the token in the error", async () => {
    const secret = "tok_this-is-a-secret-123";
    const transport = c.transport({ accessToken: secret });
    const answer = await transport.getContact("abc");
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error).toMatchObject({ code: "intercom_unauthorized", status: 401 });
    const everything = JSON.stringify({ ...answer.error.toJSON(), stack: answer.error.stack, message: answer.error.message });
    expect(everything).not.toContain(secret);
  });

  it("retries a read after 500s and succeeds", async () => {
    const sleeps: number[] = [];
    const transport = c.transport({}, { sleep: async (ms) => void sleeps.push(ms) });
    const created = c.em.workspace.insertContact({ role: "lead", email: "r@example.com" });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "500", count: 2, route: "GET /contacts/:contact_id" });
    const read = await transport.getContact(created.id);
    expect(read.ok).toBe(true);
    expect(sleeps).toHaveLength(2);
    expect((await c.calls()).calls["GET /contacts/:contact_id"]).toBe(3);
  });

  it("does not repeat a create answered 500 (it may have been done), and says Intercom is unavailable", async () => {
    const transport = c.transport({}, { sleep: async () => undefined });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "500", count: 1, route: "POST /contacts" });
    const created = await transport.createContact("lead", { email: "once@example.com" });
    expect(!created.ok && isConnectorError(created.error) && created.error.code).toBe("intercom_unavailable");
    expect((await c.calls()).calls["POST /contacts"]).toBe(1);
  });

  it("waits for X-RateLimit-Reset after a 429, then retries", async () => {
    const sleeps: number[] = [];
    // The transport's clock is held where the request starts: the reset the emulator announces
    // (the end of the window the request falls in) is then always ahead of it, whenever this runs.
    let before = 0;
    const transport = c.transport({}, { sleep: async (ms) => void sleeps.push(ms), random: () => 0, now: () => before });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "429", count: 1 });
    before = Date.now();
    const page = await transport.listContacts();
    expect(page.ok).toBe(true);
    expect(sleeps).toHaveLength(1);
    // The emulator's windows are 10 s long and end at the reset it announced.
    const windowEnd = (Math.floor(before / 10_000) + 1) * 10_000;
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(windowEnd - before + 50);
  });

  it("gives up with intercom_rate_limited and retry_after when the reset is further than allowed", async () => {
    const transport = c.transport({ maxRetryDelaySeconds: 0 }, { sleep: async () => undefined });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "429", count: 1 });
    const page = await transport.listContacts();
    expect(page.ok).toBe(false);
    if (page.ok) return;
    expect(page.error.code).toBe("intercom_rate_limited");
    expect(page.error.status).toBe(429);
    expect(page.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(page.error.retryAfterSeconds).toBeLessThanOrEqual(10);
  });

  it("reports intercom_unavailable after the retries run out on 503", async () => {
    const transport = c.transport({ maxRetries: 2 }, { sleep: async () => undefined });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "503", count: 5 });
    const page = await transport.listContacts();
    expect(!page.ok && page.error.code).toBe("intercom_unavailable");
    expect((await c.calls()).total).toBe(3);
  });

  it("retries a read whose connection was reset", async () => {
    const transport = c.transport({}, { sleep: async () => undefined });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "reset", count: 1 });
    const page = await transport.listContacts();
    expect(page.ok).toBe(true);
  });

  it("times out an attempt that never answers: intercom_timeout", async () => {
    const transport = c.transport({ timeoutSeconds: 0.3, maxRetries: 0 });
    await c.em.control("POST", `/workspaces/${c.em.workspace.id}/faults`, { kind: "hang", count: 1 });
    const started = Date.now();
    const page = await transport.listContacts();
    expect(!page.ok && page.error.code).toBe("intercom_timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports an answer of the wrong shape as intercom_error", async () => {
    // A base URL whose routes answer JSON that is not Intercom's: the control API's health check.
    const transport = c.transport({ baseUrl: `${c.em.baseUrl}/_emulator/health#` });
    const answer = await transport.listTags();
    expect(!answer.ok && answer.error.code).toBe("intercom_error");
  });
});

describe("secrecy", () => {
  it("never shows the token when a transport is inspected or serialised", async () => {
    const secret = "tok_do-not-print-me-456";
    const transport = c.transport({ accessToken: secret });
    expect(inspect(transport, { depth: 20, showHidden: true })).not.toContain(secret);
    expect(JSON.stringify(transport)).not.toContain(secret);
  });
});
