import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceEvent } from "../workspace.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
let events: WorkspaceEvent[];
beforeEach(async () => {
  em = await startTestEmulator();
  // A frozen clock makes timestamps exact.
  em.workspace.clock.set(1_700_000_000, { frozen: true });
  events = [];
  em.workspace.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await em.close();
});

async function expectError(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IntercomError);
  expect((error as IntercomError).statusCode).toBe(status);
  expect((error as IntercomError).body).toMatchObject({ type: "error.list", errors: [{ code }] });
}

describe("companies on a contact", () => {
  it("attaches, lists and detaches companies; user_count, updated_at and webhooks follow", async () => {
    const sdk = em.sdk();
    const contact = await sdk.contacts.create({ role: "user", email: "ada@example.com" });
    const acme = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme" });
    const globex = await sdk.companies.createOrUpdate({ company_id: "globex", name: "Globex" });
    events.length = 0;
    em.workspace.clock.advance(30);

    const attached = await sdk.companies.attachContact({ contact_id: contact.id, id: acme.id });
    expect(attached).toMatchObject({ type: "company", id: acme.id, user_count: 1, updated_at: acme.updated_at + 30 });
    await sdk.companies.attachContact({ contact_id: contact.id, id: globex.id });
    // Attaching twice changes nothing.
    await sdk.companies.attachContact({ contact_id: contact.id, id: acme.id });
    expect(em.workspace.contacts.get(contact.id)?.company_ids).toEqual([acme.id, globex.id]);
    expect(em.workspace.contacts.get(contact.id)?.updated_at).toBe(contact.updated_at + 30);
    expect(events.map((e) => e.topic)).toEqual(["contact.user.updated", "contact.user.updated"]);

    const found = await sdk.contacts.find({ contact_id: contact.id });
    expect(found.companies).toMatchObject({ total_count: 2, data: [{ id: acme.id }, { id: globex.id }] });

    const seen: Intercom.Company[] = [];
    const pager = await sdk.contacts.listAttachedCompanies({ contact_id: contact.id, per_page: 1 });
    for await (const company of pager) seen.push(company);
    expect(seen.map((c) => c.company_id)).toEqual(["acme", "globex"]);
    const firstPage = await em.request("GET", `/contacts/${contact.id}/companies?per_page=1`);
    expect(firstPage.body).toMatchObject({ type: "list", total_count: 2, pages: { page: 1, per_page: 1, total_pages: 2 } });
    expect((firstPage.body as { pages: { next: string } }).pages.next).toMatch(new RegExp(`/contacts/${contact.id}/companies\\?page=2&per_page=1$`));

    const detached = await sdk.companies.detachContact({ contact_id: contact.id, company_id: acme.id });
    expect(detached).toMatchObject({ id: acme.id, user_count: 0 });
    expect(em.workspace.contacts.get(contact.id)?.company_ids).toEqual([globex.id]);
    await expectError(sdk.companies.detachContact({ contact_id: contact.id, company_id: acme.id }), 404, "company_not_found");
  });

  it("answers 404 for an unknown contact or company and 400 without a company id, changing nothing", async () => {
    const sdk = em.sdk();
    const contact = await sdk.contacts.create({ role: "lead" });
    const acme = await sdk.companies.createOrUpdate({ company_id: "acme" });
    events.length = 0;
    await expectError(sdk.companies.attachContact({ contact_id: contact.id, id: "123" }), 404, "company_not_found");
    await expectError(sdk.companies.attachContact({ contact_id: "nope", id: acme.id }), 404, "not_found");
    await expectError(sdk.contacts.listAttachedCompanies({ contact_id: "nope" }), 404, "not_found");
    await expectError(sdk.companies.detachContact({ contact_id: contact.id, company_id: "123" }), 404, "company_not_found");
    for (const body of [{}, { id: "" }, { id: acme.id, extra: 1 }]) {
      const r = await em.request("POST", `/contacts/${contact.id}/companies`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await em.request("POST", `/contacts/${contact.id}/companies`, {})).body).toMatchObject({ errors: [{ code: "parameter_not_found", message: "company not specified" }] });
    expect(em.workspace.contacts.get(contact.id)?.company_ids).toEqual([]);
    expect(em.workspace.contacts.get(contact.id)?.updated_at).toBe(contact.updated_at);
    expect(events).toEqual([]);
  });
});

describe("tags on a contact", () => {
  it("tags, lists and untags a contact with when and by whom", async () => {
    const sdk = em.sdk();
    const contact = await sdk.contacts.create({ role: "user", email: "t@example.com" });
    const vip = await sdk.tags.create({ name: "VIP" });
    const beta = await sdk.tags.create({ name: "Beta" });
    em.workspace.clock.advance(10);
    const now = em.workspace.clock.now();

    const applied = await sdk.tags.tagContact({ contact_id: contact.id, id: vip.id });
    expect(applied).toEqual({ type: "tag", id: vip.id, name: "VIP", applied_at: now, applied_by: { type: "admin", id: em.workspace.ownerAdminId } });
    em.workspace.clock.advance(10);
    await sdk.tags.tagContact({ contact_id: contact.id, id: beta.id });
    // Tagging again keeps the first application.
    expect(await sdk.tags.tagContact({ contact_id: contact.id, id: vip.id })).toMatchObject({ applied_at: now });
    expect(em.workspace.contacts.get(contact.id)?.updated_at).toBe(now + 10);

    const list = await sdk.contacts.listAttachedTags({ contact_id: contact.id });
    expect(list).toMatchObject({ type: "list", data: [{ id: vip.id, name: "VIP", applied_at: now }, { id: beta.id, name: "Beta", applied_at: now + 10 }] });
    const found = await sdk.contacts.find({ contact_id: contact.id });
    expect(found.tags?.data?.map((t) => t.id)).toEqual([vip.id, beta.id]);

    const removed = await sdk.tags.untagContact({ contact_id: contact.id, tag_id: vip.id });
    expect(removed).toMatchObject({ id: vip.id, name: "VIP", applied_at: now });
    expect(em.workspace.contacts.get(contact.id)?.tags.map((t) => t.id)).toEqual([beta.id]);
    await expectError(sdk.tags.untagContact({ contact_id: contact.id, tag_id: vip.id }), 404, "not_found");
    expect(events.filter((e) => e.topic === "contact.user.updated")).toHaveLength(3);
  });

  it("answers 404 for an unknown contact or tag and 400 for a bad body, changing nothing", async () => {
    const sdk = em.sdk();
    const contact = await sdk.contacts.create({ role: "user", email: "u@example.com" });
    const tag = await sdk.tags.create({ name: "VIP" });
    await expectError(sdk.tags.tagContact({ contact_id: contact.id, id: "999" }), 404, "not_found");
    await expectError(sdk.tags.tagContact({ contact_id: "nope", id: tag.id }), 404, "not_found");
    await expectError(sdk.contacts.listAttachedTags({ contact_id: "nope" }), 404, "not_found");
    await expectError(sdk.tags.untagContact({ contact_id: contact.id, tag_id: "999" }), 404, "not_found");
    for (const [body, code] of [[{}, "parameter_not_found"], [{ id: true }, "parameter_invalid"], [[tag.id], "bad_request"]] as const) {
      const r = await em.request("POST", `/contacts/${contact.id}/tags`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ code }] });
    }
    // Intercom's own example sends the id as a number.
    expect((await em.request("POST", `/contacts/${contact.id}/tags`, { id: Number(tag.id) })).status).toBe(200);
    expect(em.workspace.contacts.get(contact.id)?.tags.map((t) => t.id)).toEqual([tag.id]);
  });
});
