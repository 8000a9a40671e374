import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_CUSTOM_ATTRIBUTES, unwrap } from "../contract/index.js";
import { defineCustomAttribute } from "../emulator/attributes/custom.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { createOrUpdateCompany } from "./companies/createOrUpdateCompany.js";
import { updateContact } from "./contacts/updateContact.js";
import { createLead } from "./createLead.js";
import { createUser } from "./createUser.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
  const ws = c.em.workspace;
  defineCustomAttribute(ws, { name: "plan", model: "contact", data_type: "options", options: ["free", "pro"] });
  defineCustomAttribute(ws, { name: "seats", model: "contact", data_type: "integer" });
  defineCustomAttribute(ws, { name: "score", model: "contact", data_type: "float" });
  defineCustomAttribute(ws, { name: "vip", model: "contact", data_type: "boolean" });
  defineCustomAttribute(ws, { name: "renews_at", model: "contact", data_type: "date" });
  defineCustomAttribute(ws, { name: "nickname", model: "contact", data_type: "string" });
  defineCustomAttribute(ws, { name: "tier", model: "company", data_type: "string" });
});
afterEach(async () => {
  await c.close();
});

const GOOD = { plan: "pro", seats: 12, score: 4.5, vip: true, renews_at: 1_800_000_000, nickname: "Ada" };

function contactByEmail(email: string) {
  return [...c.em.workspace.contacts.values()].find((contact) => contact.email === email);
}

describe("custom_attributes on contact writes", () => {
  it("CreateUser writes every type, after one look-up of the data attributes that later writes reuse", async () => {
    const user = unwrap(await createUser.run(c.intercom, { email: "ada@example.com", custom_attributes: GOOD }));
    expect(contactByEmail("ada@example.com")?.custom_attributes).toEqual(GOOD);
    expect(contactByEmail("ada@example.com")?.id).toBe(user.id);
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /data_attributes": 1, "POST /contacts": 1 } });
    await c.resetCalls();
    // The upsert path: the existing user is updated with the new values; the list is remembered.
    unwrap(await createUser.run(c.intercom, { email: "ada@example.com", custom_attributes: { seats: 13, nickname: null } }));
    expect(contactByEmail("ada@example.com")?.custom_attributes).toMatchObject({ plan: "pro", seats: 13, nickname: null });
    expect((await c.calls()).calls["GET /data_attributes"]).toBeUndefined();
  });

  it("refuses an unknown, archived or mistyped attribute naming it, before anything is written", async () => {
    const ws = c.em.workspace;
    const archived = defineCustomAttribute(ws, { name: "legacy", model: "contact", data_type: "string" });
    archived.archived = true;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ plna: "pro" }, "custom_attributes.plna", /"plna" is not a custom data attribute of contacts/],
      [{ tier: "gold" }, "custom_attributes.tier", /"tier" is not a custom data attribute of contacts/],
      [{ legacy: "x" }, "custom_attributes.legacy", /"legacy" is archived/],
      [{ plan: "enterprise" }, "custom_attributes.plan", /"plan" must be one of "free", "pro"/],
      [{ seats: 2.5 }, "custom_attributes.seats", /must be a whole number/],
      [{ seats: "12" }, "custom_attributes.seats", /must be a whole number/],
      [{ score: "high" }, "custom_attributes.score", /must be a number/],
      [{ vip: "yes" }, "custom_attributes.vip", /must be true or false/],
      [{ renews_at: -5 }, "custom_attributes.renews_at", /must be a date as whole Unix seconds/],
      [{ nickname: 7 }, "custom_attributes.nickname", /must be text/],
      // The first problem decides, in the order given; good values before it change nothing.
      [{ seats: 3, vip: 1 }, "custom_attributes.vip", /must be true or false/],
    ];
    const before = ws.contacts.size;
    for (const [values, field, message] of cases) {
      for (const run of [
        () => createUser.run(c.intercom, { email: "grace@example.com", custom_attributes: values }),
        () => createLead.run(c.intercom, { email: "lead@example.com", custom_attributes: values }),
      ]) {
        const result = await run();
        expect(!result.ok && result.error.toJSON(), JSON.stringify(values)).toMatchObject({ code: "invalid_custom_attribute", status: 422, field });
        expect(!result.ok && result.error.message, JSON.stringify(values)).toMatch(message);
      }
    }
    expect(ws.contacts.size).toBe(before);
    // Only reads: the data attributes, again before each refusal, so an attribute just created is never refused.
    expect(Object.keys((await c.calls()).calls)).toEqual(["GET /data_attributes"]);
  });

  it("accepts an attribute created in Intercom after the list was remembered", async () => {
    unwrap(await createUser.run(c.intercom, { email: "ada@example.com", custom_attributes: { seats: 1 } }));
    defineCustomAttribute(c.em.workspace, { name: "territory", model: "contact", data_type: "string" });
    await c.resetCalls();
    const user = unwrap(await updateContact.run(c.intercom, { contact_id: contactByEmail("ada@example.com")?.id ?? "", custom_attributes: { territory: "emea" } }));
    expect(user.custom_attributes).toMatchObject({ seats: 1, territory: "emea" });
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /data_attributes": 1, "PUT /contacts/:contact_id": 1 } });
  });

  it("UpdateContact refuses a bad value without changing the contact; null clears any type", async () => {
    const user = unwrap(await createUser.run(c.intercom, { email: "ada@example.com", custom_attributes: { seats: 5, vip: true } }));
    const refused = await updateContact.run(c.intercom, { contact_id: user.id, name: "Ada L", custom_attributes: { seats: "five" } });
    expect(!refused.ok && refused.error.toJSON()).toMatchObject({ code: "invalid_custom_attribute", field: "custom_attributes.seats" });
    expect(contactByEmail("ada@example.com")).toMatchObject({ name: null, custom_attributes: { seats: 5, vip: true } });
    const cleared = unwrap(await updateContact.run(c.intercom, { contact_id: user.id, custom_attributes: { seats: null, vip: null } }));
    expect(cleared.custom_attributes).toMatchObject({ seats: null, vip: null });
  });

  it("refuses values that are not JSON scalars, and too many attributes, before any call", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: MAX_CUSTOM_ATTRIBUTES + 1 }, (_, i) => [`a${i}`, i]));
    for (const [values, message] of [
      [{ plan: { nested: true } }, "custom_attributes.plan must be a string, a number, true or false, or null"],
      [{ plan: ["free"] }, "custom_attributes.plan must be a string, a number, true or false, or null"],
      [{ nickname: "x".repeat(256) }, "custom_attributes.nickname must be at most 255 characters"],
      [{ "": 1 }, "must be named by 1 to 255 characters"],
      [tooMany, `custom_attributes must have at most ${MAX_CUSTOM_ATTRIBUTES} attributes`],
      ["pro", "custom_attributes must be an object of values by attribute name"],
    ] as const) {
      const result = await createUser.run(c.intercom, { email: "ada@example.com", custom_attributes: values });
      expect(!result.ok && result.error.toJSON(), message).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message).toContain(message);
    }
    expect((await c.calls()).total).toBe(0);
  });
});

describe("custom_attributes on company writes", () => {
  it("CreateOrUpdateCompany checks them against the company data attributes", async () => {
    const company = unwrap(await createOrUpdateCompany.run(c.intercom, { company_id: "acme", name: "Acme", custom_attributes: { tier: "gold" } }));
    expect(company.custom_attributes).toEqual({ tier: "gold" });
    const refused = await createOrUpdateCompany.run(c.intercom, { company_id: "globex", custom_attributes: { seats: 3 } });
    expect(!refused.ok && refused.error.toJSON()).toMatchObject({ code: "invalid_custom_attribute", status: 422, field: "custom_attributes.seats" });
    expect(!refused.ok && refused.error.message).toContain("is not a custom data attribute of companies");
    expect([...c.em.workspace.companies.values()].map((one) => one.company_id)).toEqual(["acme"]);
  });
});
