import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap, User_Response } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { createUser } from "./createUser.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

async function createCompany(companyId: string, name: string): Promise<string> {
  const answer = await c.em.request("POST", "/companies", { company_id: companyId, name });
  expect(answer.status).toBe(200);
  return (answer.body as { id: string }).id;
}

function usersWithEmail(email: string): number {
  return [...c.em.workspace.contacts.values()].filter((contact) => contact.role === "user" && contact.email?.toLowerCase() === email.toLowerCase()).length;
}

describe("CreateUser", () => {
  it("creates a new user in one Intercom call and returns every User_Response path", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const user = unwrap(await createUser.run(c.intercom, { email: "ada@example.com", name: "Ada Lovelace", phone: "+44 20 7946 0000" }));
    expect(user).toEqual({
      id: expect.any(String) as string,
      created_at: "2026-11-24T12:30:38.000Z",
      user_id: null,
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      name: "Ada Lovelace",
      session_count: null,
      avatar: { image_url: null },
      unsubscribed_from_emails: false,
      location_data: { city_name: null, country_name: null, region_name: null, latitude: null, longitude: null, postal_code: null, timezone: null },
      pseudonym: null,
    });
    expect(User_Response.parse(user)).toEqual(user);
    expect(c.em.workspace.contacts.get(user.id)).toMatchObject({ role: "user", email: "ada@example.com" });
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts": 1 } });
  });

  it("updates the user with that email in two calls, keeping one user", async () => {
    const first = unwrap(await createUser.run(c.intercom, { email: "grace@example.com", name: "Grace" }));
    await c.resetCalls();
    const second = unwrap(await createUser.run(c.intercom, { email: "Grace@Example.com", name: "Grace Hopper", phone: "555" }));
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ name: "Grace Hopper", phone: "555", email: "grace@example.com" });
    expect(usersWithEmail("grace@example.com")).toBe(1);
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts": 1, "PUT /contacts/:contact_id": 1 } });
  });

  it("reads rather than touches an existing user when there is nothing to change", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const first = unwrap(await createUser.run(c.intercom, { email: "same@example.com", name: "Same" }));
    await c.workspace("POST", "/clock", { advance: 60 });
    await c.resetCalls();
    const again = unwrap(await createUser.run(c.intercom, { email: "same@example.com" }));
    expect(again).toEqual(first);
    expect(c.em.workspace.contacts.get(first.id)?.updated_at).toBe(NOW);
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts": 1, "GET /contacts/:contact_id": 1 } });
  });

  it("does not treat a lead with the same email as the user", async () => {
    const lead = c.em.workspace.insertContact({ role: "lead", email: "both@example.com", name: "Lead" });
    const user = unwrap(await createUser.run(c.intercom, { email: "both@example.com", name: "User" }));
    expect(user.id).not.toBe(lead.id);
    expect(c.em.workspace.contacts.get(lead.id)?.name).toBe("Lead");
    expect(c.em.workspace.contacts.size).toBe(2);
  });

  it("leaves exactly one user when 20 calls race for the same new email", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createUser.run(c.intercom, { email: "race@example.com", name: `Racer ${i}` })),
    );
    const ids = new Set(results.map((result) => unwrap(result).id));
    expect(ids.size).toBe(1);
    expect(usersWithEmail("race@example.com")).toBe(1);
    expect(c.em.workspace.contacts.size).toBe(1);
    // One create wins; each of the 19 others costs its failed create and one update.
    const counts = await c.calls();
    expect(counts.calls["POST /contacts"]).toBe(20);
    expect(counts.calls["PUT /contacts/:contact_id"]).toBe(19);
    expect(counts.total).toBeLessThanOrEqual(2 * 20);
  });

  it("updates, not duplicates, a user that search cannot see yet (search delay 180 s)", async () => {
    await c.workspace("PATCH", "", { search_delay: 180 });
    const first = unwrap(await createUser.run(c.intercom, { email: "fresh@example.com", name: "Fresh" }));
    // The scenario is real: search does not see the new user.
    const search = await c.intercom.searchContacts({ field: "email", operator: "=", value: "fresh@example.com" });
    expect(search.ok && search.value.items).toEqual([]);
    await c.resetCalls();
    const second = unwrap(await createUser.run(c.intercom, { email: "fresh@example.com", name: "Fresh Again" }));
    expect(second.id).toBe(first.id);
    expect(second.name).toBe("Fresh Again");
    expect(usersWithEmail("fresh@example.com")).toBe(1);
    expect((await c.calls()).total).toBeLessThanOrEqual(2);
  });

  it("looks the company up first and attaches it after the upsert", async () => {
    const companyId = await createCompany("acme", "Acme");
    await c.resetCalls();
    const user = unwrap(await createUser.run(c.intercom, { email: "worker@example.com", companies: "acme" }));
    expect(c.em.workspace.contacts.get(user.id)?.company_ids).toEqual([companyId]);
    expect(await c.calls()).toEqual({
      total: 3,
      calls: { "GET /companies": 1, "POST /contacts": 1, "POST /contacts/:contact_id/companies": 1 },
    });
  });

  it("refuses an unknown company with company_not_found (422) and writes nothing", async () => {
    const existing = unwrap(await createUser.run(c.intercom, { email: "keep@example.com", name: "Kept" }));
    await c.resetCalls();
    for (const email of ["new@example.com", "keep@example.com"]) {
      const result = await createUser.run(c.intercom, { email, name: "Changed", companies: "no-such-company" });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.toJSON()).toEqual({
        code: "company_not_found",
        status: 422,
        message: "No company with company_id no-such-company",
        field: "companies",
      });
    }
    expect(c.em.workspace.contacts.size).toBe(1);
    expect(c.em.workspace.contacts.get(existing.id)?.name).toBe("Kept");
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /companies": 2 } });
  });

  it("reports Intercom's refusal of the token as intercom_unauthorized", async () => {
    const result = await createUser.run(c.transport({ accessToken: "wrong-token" }), { email: "x@example.com" });
    expect(!result.ok && result.error.code).toBe("intercom_unauthorized");
  });
});
