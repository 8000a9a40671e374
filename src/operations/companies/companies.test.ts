import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Company } from "../../contract/catalogue/companies.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { attachContactToCompany, detachContactFromCompany } from "./contactCompany.js";
import { createOrUpdateCompany } from "./createOrUpdateCompany.js";
import { findCompany } from "./findCompany.js";
import { getCompany } from "./getCompany.js";
import { listCompanies } from "./listCompanies.js";

const CREATED = 1_795_523_438; // 2026-11-24T12:30:38Z
const UNKNOWN = "5f0000000000000000000000";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
  // Every time in these tests is the workspace's, frozen: the answers are the same on any date.
  c.em.workspace.clock.set(CREATED, { frozen: true });
});
afterEach(async () => {
  await c.close();
});

async function upsert(input: Record<string, unknown>): Promise<Company> {
  const result = await createOrUpdateCompany.run(c.intercom, input);
  if (!result.ok) throw result.error;
  return result.value;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function expectRefused(run: (input: unknown) => Promise<{ ok: boolean; error?: { code: string; field?: string | undefined } }>, cases: Array<[unknown, string]>): Promise<void> {
  for (const [input, field] of cases) {
    const result = await run(input);
    expect(result.ok, JSON.stringify(input)).toBe(false);
    expect([result.error?.code, result.error?.field], JSON.stringify(input)).toEqual(["invalid_input", field]);
  }
  expect((await c.calls()).total).toBe(0);
}

describe("CreateOrUpdateCompany", () => {
  it("creates a company with every Company path, in one call", async () => {
    const company = await upsert({ company_id: "acme", name: "Acme", plan: "Pro", size: 12, website: "https://acme.example", industry: "Anvils", monthly_spend: 99.9, remote_created_at: 1_700_000_000 });
    expect(company).toEqual({
      type: "company",
      id: company.id,
      company_id: "acme",
      name: "Acme",
      app_id: c.em.workspace.id,
      plan: { type: "plan", id: null, name: "Pro" },
      remote_created_at: 1_700_000_000,
      created_at: CREATED,
      updated_at: CREATED,
      last_request_at: null,
      size: 12,
      website: "https://acme.example",
      industry: "Anvils",
      monthly_spend: 99,
      session_count: 0,
      user_count: 0,
      custom_attributes: {},
      tags: { type: "tag.list", tags: [] },
      segments: { type: "segment.list", segments: [] },
    });
    expect(company.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Company.parse(company)).toEqual(company);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /companies": 1 } });
  });

  it("is one company for the same company_id: a retry changes nothing, a change updates only what is given", async () => {
    const first = await upsert({ company_id: "acme", name: "Acme", plan: "Pro" });
    expect(await upsert({ company_id: "acme", name: "Acme", plan: "Pro" })).toEqual(first);
    c.em.workspace.clock.advance(60);
    const changed = await upsert({ company_id: "acme", size: 40 });
    expect(changed).toEqual({ ...first, size: 40, updated_at: CREATED + 60 });
    expect(c.em.workspace.companies.size).toBe(1);
  });

  it("refuses bad input before any call, naming the field", async () => {
    await expectRefused((input) => createOrUpdateCompany.run(c.intercom, input), [
      [{ name: "Acme" }, "company_id"],
      [{ company_id: "" }, "company_id"],
      [{ company_id: "acme", size: -1 }, "size"],
      [{ company_id: "acme", size: 1.5 }, "size"],
      [{ company_id: "acme", monthly_spend: "lots" }, "monthly_spend"],
      [{ company_id: "acme", website: "ftp://acme.example" }, "website"],
      [{ company_id: "acme", remote_created_at: "2026-01-01" }, "remote_created_at"],
      [{ company_id: "acme", custom_attributes: { tier: ["gold"] } }, "custom_attributes.tier"],
    ]);
  });

  it("maps Intercom's 429 to intercom_rate_limited, with nothing written", async () => {
    await c.workspace("POST", "/faults", { kind: "429", count: 1, route: "POST /companies" });
    const result = await createOrUpdateCompany.run(c.transport({ maxRetryDelaySeconds: 0 }, { sleep: async () => undefined }), { company_id: "acme" });
    expect(!result.ok && [result.error.code, result.error.status]).toEqual(["intercom_rate_limited", 429]);
    expect(c.em.workspace.companies.size).toBe(0);
  });
});

describe("GetCompany and FindCompany", () => {
  it("gets a company by Intercom's id, and finds it by company_id or by name, one call each", async () => {
    const acme = await upsert({ company_id: "acme", name: "Acme" });
    await upsert({ company_id: "acme-2", name: "Acme Two" });
    await c.resetCalls();
    expect(await getCompany.run(c.intercom, { id: acme.id })).toEqual({ ok: true, value: acme });
    expect(await findCompany.run(c.intercom, { company_id: "acme" })).toEqual({ ok: true, value: acme });
    expect(await findCompany.run(c.intercom, { name: "Acme" })).toEqual({ ok: true, value: acme });
    expect(await c.calls()).toEqual({ total: 3, calls: { "GET /companies/:company_id": 1, "GET /companies": 2 } });
  });

  it("answers not_found naming what was looked for", async () => {
    const got = await getCompany.run(c.intercom, { id: UNKNOWN });
    expect(!got.ok && got.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: `No company with id ${UNKNOWN}` });
    const found = await findCompany.run(c.intercom, { company_id: "nobody" });
    expect(!found.ok && found.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: "No company by company_id with id nobody" });
    const byName = await findCompany.run(c.intercom, { name: "Nobody Inc" });
    expect(!byName.ok && byName.error.code).toBe("not_found");
  });

  it("takes exactly one of company_id and name, and refuses path-like ids, before any call", async () => {
    await expectRefused((input) => findCompany.run(c.intercom, input), [
      [{}, "company_id"],
      [{ company_id: "acme", name: "Acme" }, "name"],
      [{ name: "" }, "name"],
      [{ company_id: "acme", tag_id: "1" }, "tag_id"],
    ]);
    await expectRefused((input) => getCompany.run(c.intercom, input), [
      [{}, "id"],
      [{ id: ".." }, "id"],
      [{ id: "a/b" }, "id"],
    ]);
  });
});

describe("ListCompanies", () => {
  it("streams every company, with or without contacts, one scroll page (15) at a time", async () => {
    const made: string[] = [];
    for (let i = 0; i < 20; i++) made.push((await upsert({ company_id: `co-${String(i).padStart(2, "0")}`, name: `Company ${i}` })).id);
    await c.resetCalls();
    const listed = await listCompanies.run(c.intercom, {});
    if (!listed.ok) throw listed.error;
    const companies = await collect(listed.value);
    expect(companies.map((company) => company.id)).toEqual(made);
    expect(companies[7]).toEqual(await getCompany.run(c.intercom, { id: made[7] ?? "" }).then((r) => (r.ok ? r.value : null)));
    // 15, then 5, then the empty page that ends the scroll (and the GetCompany above).
    expect(await c.calls()).toEqual({ total: 4, calls: { "GET /companies/scroll": 3, "GET /companies/:company_id": 1 } });
  });

  it("pages with the scroll as cursor; a scroll Intercom has expired is invalid_input cursor", async () => {
    for (let i = 0; i < 16; i++) await upsert({ company_id: `co-${i}` });
    const first = await listCompanies.paged.page(c.intercom, {});
    if (!first.ok) throw first.error;
    expect(first.value.items).toHaveLength(15);
    const cursor = first.value.nextCursor ?? "";
    expect(cursor).toMatch(/^companies\./);
    const second = await listCompanies.paged.page(c.intercom, {}, { cursor });
    if (!second.ok) throw second.error;
    expect(second.value.items.map((company) => company.company_id)).toEqual(["co-15"]);

    const again = await listCompanies.paged.page(c.intercom, {});
    c.em.workspace.clock.advance(61);
    const stale = await listCompanies.paged.page(c.intercom, {}, { cursor: again.ok ? (again.value.nextCursor ?? "") : "" });
    expect(!stale.ok && [stale.error.code, stale.error.field]).toEqual(["invalid_input", "cursor"]);
  });

  it("refuses any input before any call", async () => {
    await expectRefused((input) => listCompanies.run(c.intercom, input), [[{ per_page: "5" }, "per_page"]]);
  });
});

describe("AttachContactToCompany and DetachContactFromCompany", () => {
  it("attaches once however often it is asked, and detaches", async () => {
    const acme = await upsert({ company_id: "acme", name: "Acme" });
    const contact = c.em.workspace.insertContact({ role: "user", email: "ada@example.com" });
    await c.resetCalls();
    const attached = await attachContactToCompany.run(c.intercom, { contact_id: contact.id, id: acme.id });
    if (!attached.ok) throw attached.error;
    expect(attached.value).toEqual({ ...acme, user_count: 1, updated_at: attached.value.updated_at, last_request_at: attached.value.last_request_at });
    expect(Company.parse(attached.value)).toEqual(attached.value);
    const twice = await attachContactToCompany.run(c.intercom, { contact_id: contact.id, id: acme.id });
    expect(twice.ok && twice.value.user_count).toBe(1);
    expect(c.em.workspace.contacts.get(contact.id)?.company_ids).toEqual([acme.id]);
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts/:contact_id/companies": 2 } });

    const detached = await detachContactFromCompany.run(c.intercom, { contact_id: contact.id, id: acme.id });
    expect(detached.ok && [detached.value.id, detached.value.user_count]).toEqual([acme.id, 0]);
    expect(c.em.workspace.contacts.get(contact.id)?.company_ids).toEqual([]);
    const again = await detachContactFromCompany.run(c.intercom, { contact_id: contact.id, id: acme.id });
    expect(!again.ok && again.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: `No company attached to the contact with id ${acme.id}` });
  });

  it("answers not_found for an unknown contact or company", async () => {
    const acme = await upsert({ company_id: "acme" });
    const result = await attachContactToCompany.run(c.intercom, { contact_id: UNKNOWN, id: acme.id });
    expect(!result.ok && [result.error.code, result.error.status]).toEqual(["not_found", 404]);
    expect(!result.ok && result.error.message).toContain(UNKNOWN);
  });

  it("refuses bad ids before any call, naming the field", async () => {
    for (const action of [attachContactToCompany, detachContactFromCompany]) {
      await expectRefused((input) => action.run(c.intercom, input), [
        [{ contact_id: "6762f0a51bb69f9f2193bb5c" }, "id"],
        [{ contact_id: "..", id: "6762f0761bb69f9f2193bae2" }, "contact_id"],
        [{ contact_id: "6762f0a51bb69f9f2193bb5c", id: "x?y" }, "id"],
      ]);
    }
  });
});
