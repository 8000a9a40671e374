import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineCustomAttribute } from "../attributes/custom.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  // A frozen clock makes timestamps exact.
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

/** Attaches a new contact to a company straight in the workspace (companies list only those with contacts). */
function populate(companyId: string, contacts = 1): void {
  for (let i = 0; i < contacts; i++) {
    const contact = em.workspace.insertContact({ role: "user", email: `${companyId}-${i}@example.com` });
    em.workspace.updateContact(contact.id, { company_ids: [companyId] });
  }
}

describe("companies", () => {
  it("creates a company, then updates the same one by company_id", async () => {
    const sdk = em.sdk();
    defineCustomAttribute(em.workspace, { name: "tier", model: "company", data_type: "string" });
    defineCustomAttribute(em.workspace, { name: "region", model: "company", data_type: "string" });
    const created = await sdk.companies.createOrUpdate({
      company_id: "acme", name: "Acme", plan: "Pro", size: 40, website: "https://acme.example", industry: "Rockets",
      remote_created_at: 1_600_000_000, monthly_spend: 155.98, custom_attributes: { tier: "gold" },
    });
    expect(created).toMatchObject({
      type: "company", company_id: "acme", name: "Acme", app_id: em.workspace.id, plan: { type: "plan", name: "Pro" }, size: 40,
      website: "https://acme.example", industry: "Rockets", remote_created_at: 1_600_000_000, monthly_spend: 155, user_count: 0,
      custom_attributes: { tier: "gold" }, tags: { type: "tag.list", tags: [] }, segments: { type: "segment.list", segments: [] },
    });
    em.workspace.clock.advance(60);
    const updated = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme Inc", custom_attributes: { region: "EU" } });
    expect(updated.id).toBe(created.id);
    expect(updated).toMatchObject({ name: "Acme Inc", plan: { name: "Pro" }, custom_attributes: { tier: "gold", region: "EU" }, created_at: created.created_at });
    expect(updated.updated_at).toBe(created.updated_at + 60);
    expect(em.workspace.companies.size).toBe(1);
  });

  it("retrieves by Intercom id, by company_id and by name; 404 company_not_found otherwise", async () => {
    const sdk = em.sdk();
    const acme = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme" });
    await sdk.companies.createOrUpdate({ company_id: "globex", name: "Globex" });
    populate(acme.id, 2);
    const byId = await sdk.companies.find({ company_id: acme.id });
    expect(byId).toMatchObject({ id: acme.id, name: "Acme", user_count: 2 });
    const byCompanyId = await sdk.companies.retrieve({ company_id: "globex" });
    expect(byCompanyId).toMatchObject({ type: "list", total_count: 1, data: [{ company_id: "globex", user_count: 0 }] });
    const byName = await sdk.companies.retrieve({ name: "Acme" });
    expect(byName).toMatchObject({ type: "list", data: [{ id: acme.id }] });

    for (const call of [() => sdk.companies.find({ company_id: "nope" }), () => sdk.companies.retrieve({ company_id: "nope" })]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntercomError);
      expect((error as IntercomError).statusCode).toBe(404);
      expect((error as IntercomError).body).toMatchObject({ errors: [{ code: "company_not_found", message: "Company Not Found" }] });
    }
  });

  it("pages through the companies that have contacts with the SDK pager", async () => {
    const sdk = em.sdk();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await sdk.companies.createOrUpdate({ company_id: `c${i}`, name: `Company ${i}` });
      ids.push(c.id);
      em.workspace.saveCompany({ ...em.workspace.companies.get(c.id)!, last_request_at: 1_700_000_000 + i });
    }
    for (const id of ids.slice(0, 6)) populate(id);
    const seen: Intercom.Company[] = [];
    const pager = await sdk.companies.list({ per_page: 4 });
    for await (const company of pager) seen.push(company);
    // The company without contacts is not listed; the most recently requested come first.
    expect(seen.map((c) => c.company_id)).toEqual(["c5", "c4", "c3", "c2", "c1", "c0"]);
    const asc = await em.request("POST", "/companies/list?order=asc&per_page=2&page=2");
    expect(asc.body).toMatchObject({ type: "list", total_count: 6, pages: { page: 2, per_page: 2, total_pages: 3 }, data: [{ company_id: "c2" }, { company_id: "c3" }] });
    const all = await em.request("GET", "/companies?per_page=50");
    expect((all.body as { total_count: number }).total_count).toBe(6);
  });

  it("updates by id, lists a company's contacts and deletes it, detaching its contacts", async () => {
    const sdk = em.sdk();
    const acme = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme" });
    populate(acme.id, 3);
    const renamed = await sdk.companies.update({ company_id: acme.id, body: { name: "Acme 2", size: 5 } });
    expect(renamed).toMatchObject({ id: acme.id, company_id: "acme", name: "Acme 2", size: 5, user_count: 3 });
    const contacts = await sdk.companies.listAttachedContacts({ company_id: acme.id });
    expect(contacts).toMatchObject({ type: "list", total_count: 3 });
    expect(contacts.data?.map((c) => c.email)).toEqual([0, 1, 2].map((i) => `${acme.id}-${i}@example.com`));
    const deleted = await sdk.companies.delete({ company_id: acme.id });
    expect(deleted).toEqual({ id: acme.id, object: "company", deleted: true });
    expect([...em.workspace.contacts.values()].every((c) => c.company_ids.length === 0)).toBe(true);
    await expect(sdk.companies.find({ company_id: acme.id })).rejects.toMatchObject({ statusCode: 404 });
    // The company_id is free again.
    const again = await sdk.companies.createOrUpdate({ company_id: "acme", name: "New Acme" });
    expect(again.id).not.toBe(acme.id);
  });

  it("rejects bad input with Intercom's codes and changes nothing", async () => {
    const cases: Array<[unknown, number, string, string | undefined]> = [
      ["{not json", 400, "bad_request", undefined],
      [{ name: "No id" }, 400, "parameter_not_found", "company_id"],
      [{ company_id: 42 }, 400, "parameter_invalid", "company_id"],
      [{ company_id: "x", size: "100" }, 400, "parameter_invalid", "size"],
      [{ company_id: "x", monthly_spend: 2 ** 31 }, 400, "parameter_invalid", "monthly_spend"],
      [{ company_id: "x", custom_attributes: { paid: true } }, 400, "parameter_invalid", "custom_attributes.paid"],
      [{ company_id: "x", test: "invalid" }, 400, "parameter_invalid", undefined],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await em.request("POST", "/companies", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [field === undefined ? { code } : { code, field }] });
    }
    expect(em.workspace.companies.size).toBe(0);
    const sdkError = await em.sdk().companies.createOrUpdate({ name: "No id" }).catch((e: unknown) => e);
    expect(sdkError).toMatchObject({ statusCode: 400 });
    expect((await em.request("POST", "/companies/list?order=sideways")).status).toBe(400);
    expect((await em.request("POST", "/companies/list?page=0")).body).toMatchObject({ errors: [{ code: "parameter_invalid", field: "page" }] });
  });
});
