import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap, Lead_Response } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { createLead } from "./createLead.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

describe("CreateLead", () => {
  it("creates a lead in one call and returns every Lead_Response path, image_url as the avatar", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const lead = unwrap(
      await createLead.run(c.intercom, { email: "lead@example.com", name: "Liz Lead", phone: "+351 210 000 000", image_url: "https://example.com/liz.png" }),
    );
    expect(lead).toEqual({
      id: expect.any(String) as string,
      created_at: "2026-11-24T12:30:38.000Z",
      user_id: null,
      email: "lead@example.com",
      phone: "+351 210 000 000",
      name: "Liz Lead",
      avatar: { image_url: "https://example.com/liz.png" },
      unsubscribed_from_emails: false,
      location_data: { city_name: null, country_name: null, region_name: null, latitude: null, longitude: null, postal_code: null, timezone: null },
    });
    expect(Lead_Response.parse(lead)).toEqual(lead);
    expect(c.em.workspace.contacts.get(lead.id)).toMatchObject({ role: "lead", avatar: "https://example.com/liz.png" });
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts": 1 } });
  });

  it("creates a new lead each time, even for the same email", async () => {
    const first = unwrap(await createLead.run(c.intercom, { email: "twice@example.com" }));
    const second = unwrap(await createLead.run(c.intercom, { email: "twice@example.com" }));
    expect(second.id).not.toBe(first.id);
    expect(c.em.workspace.contacts.size).toBe(2);
  });

  it("attaches the company named by its company_id", async () => {
    const company = await c.em.request("POST", "/companies", { company_id: "initech", name: "Initech" });
    const companyId = (company.body as { id: string }).id;
    await c.resetCalls();
    const lead = unwrap(await createLead.run(c.intercom, { email: "peter@example.com", companies: "initech" }));
    expect(c.em.workspace.contacts.get(lead.id)?.company_ids).toEqual([companyId]);
    expect(await c.calls()).toEqual({ total: 3, calls: { "GET /companies": 1, "POST /contacts": 1, "POST /contacts/:contact_id/companies": 1 } });
  });

  it("refuses an unknown company before creating anything", async () => {
    const result = await createLead.run(c.intercom, { email: "nobody@example.com", companies: "ghost-co" });
    expect(!result.ok && result.error.toJSON()).toEqual({ code: "company_not_found", status: 422, message: "No company with company_id ghost-co", field: "companies" });
    expect(c.em.workspace.contacts.size).toBe(0);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /companies": 1 } });
  });
});
