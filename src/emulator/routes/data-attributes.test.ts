import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STANDARD_COMPANY_ATTRIBUTES, STANDARD_CONTACT_ATTRIBUTES } from "../attributes/standard.js";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

// The SDK's request type leaves out name and model, which the description requires.
type CreateBody = { name: string; model: "contact" | "company"; data_type: string; description?: string; options?: Array<{ value: string }>; messenger_writable?: boolean };
const create = (body: CreateBody): Promise<Intercom.DataAttribute> => em.sdk().dataAttributes.create(body as unknown as Intercom.CreateDataAttributeRequest);

describe("data attributes", () => {
  it("lists the standard attributes as the description does, by model", async () => {
    const sdk = em.sdk();
    const company = await sdk.dataAttributes.list({ model: "company" });
    expect(company.type).toBe("list");
    expect((company.data ?? []).map((a) => [a.full_name, a.label, a.data_type, a.api_writable, a.custom, a.model])).toEqual(
      STANDARD_COMPANY_ATTRIBUTES.map((a) => [a.full_name, a.label, a.data_type, a.api_writable, false, "company"]),
    );
    expect(company.data?.[0]).toEqual({
      type: "data_attribute", name: "name", full_name: "name", label: "Company name", description: "The name of a company", data_type: "string",
      api_writable: true, ui_writable: false, messenger_writable: true, custom: false, archived: false, model: "company",
    });
    const contact = await sdk.dataAttributes.list({ model: "contact" });
    expect(contact.data ?? []).toHaveLength(STANDARD_CONTACT_ATTRIBUTES.length);
    expect((contact.data ?? []).every((a) => a.model === "contact" && a.custom === false && a.id === undefined)).toBe(true);
    const all = await sdk.dataAttributes.list();
    expect(all.data).toHaveLength(STANDARD_COMPANY_ATTRIBUTES.length + STANDARD_CONTACT_ATTRIBUTES.length);
    expect((await sdk.dataAttributes.list({ model: "conversation" })).data).toEqual([]);
  });

  it("creates custom attributes of every type, updates and archives them", async () => {
    const seats = await create({ name: "seats", model: "contact", data_type: "integer", description: "Paid seats" });
    expect(seats).toEqual({
      type: "data_attribute", id: seats.id, name: "seats", full_name: "custom_attributes.seats", label: "seats", description: "Paid seats",
      data_type: "integer", api_writable: true, ui_writable: false, messenger_writable: false, custom: true, archived: false,
      admin_id: em.workspace.ownerAdminId, created_at: 1_700_000_000, updated_at: 1_700_000_000, model: "contact",
    });
    const types = ["string", "float", "boolean", "date", "datetime"].map((t) => create({ name: `attr ${t}`, model: "company", data_type: t }));
    expect((await Promise.all(types)).map((a) => a.data_type)).toEqual(["string", "float", "boolean", "date", "date"]);
    const tier = await create({ name: "Tier", model: "company", data_type: "options", options: [{ value: "1-10" }, { value: "11-50" }] });
    expect(tier).toMatchObject({ data_type: "string", options: ["1-10", "11-50"], custom: true });

    em.workspace.clock.advance(30);
    const sdk = em.sdk();
    const updated = await sdk.dataAttributes.update({ data_attribute_id: tier.id ?? 0, body: { options: [{ value: "1-10" }, { value: "11-20" }, { value: "21+" }], description: "Size band" } });
    expect(updated).toMatchObject({ id: tier.id, options: ["1-10", "11-20", "21+"], description: "Size band", data_type: "string", updated_at: 1_700_000_030 });
    await sdk.dataAttributes.update({ data_attribute_id: seats.id ?? 0, body: { archived: true } });
    const listed = await sdk.dataAttributes.list({ model: "contact" });
    expect((listed.data ?? []).some((a) => a.name === "seats")).toBe(false);
    const withArchived = await sdk.dataAttributes.list({ model: "contact", include_archived: true });
    expect((withArchived.data ?? []).find((a) => a.name === "seats")).toMatchObject({ archived: true, custom: true });
  });

  it("refuses bad attributes with Intercom's messages and creates nothing", async () => {
    await create({ name: "The One Ring", model: "company", data_type: "string" });
    const cases: Array<[unknown, string, string, string]> = [
      [{ name: "The One Ring", model: "contact", data_type: "integer" }, "parameter_invalid", "You already have 'The One Ring' in your company data. To save this as new people data, use a different name.", "name"],
      [{ name: "the one ring", model: "company", data_type: "string" }, "parameter_invalid", "You already have 'The One Ring' in your company data. To save this as new company data, use a different name.", "name"],
      [{ name: "!nv@l!d n@me", model: "company", data_type: "string" }, "parameter_invalid", "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens", "name"],
      [{ name: "Name", model: "contact", data_type: "string" }, "parameter_invalid", "'Name' is one of our standard attributes for your people data. To save this as new people data, use a different name.", "name"],
      [{ name: "The Second Ring", model: "company", data_type: "mithril" }, "parameter_invalid", "Data Type isn't an option", "data_type"],
      [{ description: "Just a plain old ring", options: [{ value: "1-10" }], archived: false }, "parameter_invalid", "The Data Attribute model field must be either contact or company", "model"],
      [{ name: "Band", model: "contact", data_type: "options", options: [{ value: "only" }] }, "parameter_invalid", "You must have at least two options on a list type data attribute", "options"],
      [{ name: "Band", model: "contact", data_type: "options", options: { value: "1-10" } }, "parameter_invalid", "Options isn't an array", "options"],
      [{ model: "contact", data_type: "string" }, "parameter_not_found", "name is required", "name"],
    ];
    for (const [body, code, message, field] of cases) {
      const r = await em.request("POST", "/data_attributes", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code, message, field }] });
    }
    expect(em.workspace.dataAttributes.size).toBe(1);
    const notFound = await em.sdk().dataAttributes.update({ data_attribute_id: 999, body: { description: "x" } }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(IntercomError);
    expect((notFound as IntercomError).statusCode).toBe(404);
    expect((notFound as IntercomError).body).toMatchObject({ errors: [{ code: "field_not_found", message: "We couldn't find that data attribute to update" }] });
    const ring = [...em.workspace.dataAttributes.values()][0];
    const notList = await em.request("PUT", `/data_attributes/${ring?.id ?? 0}`, { options: [{ value: "a" }, { value: "b" }] });
    expect(notList).toMatchObject({ status: 400, body: { errors: [{ code: "parameter_invalid", field: "options" }] } });
    expect((await em.request("GET", "/data_attributes?model=ticket")).status).toBe(400);
  });

  it("the demo seed defines the attributes its records carry", async () => {
    seedWorkspace(em.workspace, { preset: "demo", contacts: 20 });
    const user = [...em.workspace.contacts.values()].find((c) => c.role === "user");
    const sdk = em.sdk();
    const again = await sdk.contacts.update({ contact_id: user?.id ?? "", custom_attributes: { ...user?.custom_attributes } });
    expect(again.custom_attributes).toEqual(user?.custom_attributes);
    const company = [...em.workspace.companies.values()].find((c) => c.company_id !== "acme");
    const same = await sdk.companies.update({ company_id: company?.id ?? "", body: { custom_attributes: { ...company?.custom_attributes } as Record<string, string> } });
    expect(same.custom_attributes).toEqual(company?.custom_attributes);
    const listed = await sdk.dataAttributes.list({ model: "company" });
    expect((listed.data ?? []).find((a) => a.name === "account_tier")).toMatchObject({ custom: true, options: ["bronze", "silver", "gold"] });
  });
});

describe("custom attributes on contact and company writes", () => {
  beforeEach(async () => {
    await create({ name: "seats", model: "contact", data_type: "integer" });
    await create({ name: "beta", model: "contact", data_type: "boolean" });
    await create({ name: "score", model: "contact", data_type: "float" });
    await create({ name: "renewal_at", model: "contact", data_type: "date" });
    await create({ name: "plan", model: "contact", data_type: "options", options: [{ value: "free" }, { value: "pro" }] });
    await create({ name: "region", model: "company", data_type: "string" });
    await create({ name: "employees", model: "company", data_type: "integer" });
  });

  it("stores values of the right type and returns them, on create and update", async () => {
    const sdk = em.sdk();
    const contact = await sdk.contacts.create({ email: "ca@example.com", custom_attributes: { seats: 3, beta: true, score: 4.5, renewal_at: 1_700_086_400, plan: "pro" } });
    expect(contact.custom_attributes).toEqual({ seats: 3, beta: true, score: 4.5, renewal_at: 1_700_086_400, plan: "pro" });
    const updated = await sdk.contacts.update({ contact_id: contact.id, custom_attributes: { seats: 5, beta: null } });
    expect(updated.custom_attributes).toEqual({ seats: 5, beta: null, score: 4.5, renewal_at: 1_700_086_400, plan: "pro" });
    expect((await sdk.contacts.find({ contact_id: contact.id })).custom_attributes).toMatchObject({ seats: 5 });

    const company = await sdk.companies.createOrUpdate({ company_id: "acme", custom_attributes: { region: "EMEA", employees: 40 } as unknown as Record<string, string> });
    expect(company.custom_attributes).toEqual({ region: "EMEA", employees: 40 });
    const renamed = await sdk.companies.update({ company_id: company.id, body: { custom_attributes: { employees: 41 } as unknown as Record<string, string> } });
    expect(renamed.custom_attributes).toEqual({ region: "EMEA", employees: 41 });
  });

  it("refuses an unknown, archived or mistyped attribute before writing anything", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "keep@example.com", custom_attributes: { seats: 1 } });
    const archived = await create({ name: "old_field", model: "contact", data_type: "string" });
    await em.sdk().dataAttributes.update({ data_attribute_id: archived.id ?? 0, body: { archived: true } });
    const cases: Array<[string, string, unknown, string, string]> = [
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { nickname: "Nick" } }, "Custom attribute 'nickname' does not exist", "custom_attributes.nickname"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { region: "EMEA" } }, "Custom attribute 'region' does not exist", "custom_attributes.region"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { old_field: "x" } }, "Custom attribute 'old_field' does not exist", "custom_attributes.old_field"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { seats: "3" } }, "Custom attribute 'seats' must be an integer", "custom_attributes.seats"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { seats: 2.5 } }, "Custom attribute 'seats' must be an integer", "custom_attributes.seats"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { beta: "yes" } }, "Custom attribute 'beta' must be a boolean", "custom_attributes.beta"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { renewal_at: "2024-01-01" } }, "Custom attribute 'renewal_at' must be a date", "custom_attributes.renewal_at"],
      ["POST", "/contacts", { email: "new@example.com", custom_attributes: { plan: "enterprise" } }, "Custom attribute 'plan' must be one of 'free', 'pro'", "custom_attributes.plan"],
      ["PUT", `/contacts/${contact.id}`, { name: "Changed", custom_attributes: { seats: 9, nickname: "Nick" } }, "Custom attribute 'nickname' does not exist", "custom_attributes.nickname"],
      ["POST", "/companies", { company_id: "globex", custom_attributes: { seats: 3 } }, "Custom attribute 'seats' does not exist", "custom_attributes.seats"],
      ["POST", "/companies", { company_id: "globex", custom_attributes: { employees: "many" } }, "Custom attribute 'employees' must be an integer", "custom_attributes.employees"],
    ];
    for (const [method, path, body, message, field] of cases) {
      const r = await em.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code: "parameter_invalid", message, field }] });
    }
    expect(em.workspace.contacts.size).toBe(1);
    expect(em.workspace.contacts.get(contact.id)).toMatchObject({ name: null, custom_attributes: { seats: 1 } });
    expect(em.workspace.companies.size).toBe(0);
    const sdkError = await em.sdk().contacts.create({ email: "sdk@example.com", custom_attributes: { nickname: "Nick" } }).catch((e: unknown) => e);
    expect(sdkError).toMatchObject({ statusCode: 400 });
  });

});
