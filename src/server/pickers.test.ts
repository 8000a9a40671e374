import { afterEach, describe, expect, it } from "vitest";
import { defineCustomAttribute } from "../emulator/attributes/custom.js";
import { addTeam } from "../emulator/routes/teams.js";
import { ticketsOf } from "../emulator/ticket-store.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Values = { value: Array<{ id: string; title: string }> };

describe("GET /v1/pickers/{picker}", () => {
  it("answers each picker's candidates from one Intercom call", async () => {
    h = await startServiceHarness();
    const ws = h.em.workspace;
    const vip = await h.call("POST", "/v1/actions/CreateTag", { body: { name: "vip" } });
    expect(vip.status).toBe(200);
    const acme = await h.call("POST", "/v1/actions/CreateOrUpdateCompany", { body: { company_id: "acme", name: "Acme" } });
    const user = await h.call("POST", "/v1/actions/CreateUser", { body: { email: "ada@example.com", companies: "acme" } });
    expect(user.status).toBe(200);
    const team = addTeam(ws, { name: "Support", admin_ids: [] });
    defineCustomAttribute(ws, { name: "plan", model: "contact", data_type: "string" });
    const bug = ticketsOf(ws).createType({ name: "Bug report" });
    ticketsOf(ws).createType({ name: "Old form" }).archived = true;

    const before = await h.intercomCalls();
    const tags = await h.call("GET", "/v1/pickers/tags");
    expect(tags.status).toBe(200);
    expect((tags.body as Values).value).toEqual([{ id: (vip.body as { id: string }).id, title: "vip" }]);
    expect(((await h.call("GET", "/v1/pickers/tag_names")).body as Values).value).toEqual([{ id: "vip", title: "vip" }]);
    expect(((await h.call("GET", "/v1/pickers/companies")).body as Values).value).toEqual([{ id: (acme.body as { id: string }).id, title: "Acme" }]);
    expect(((await h.call("GET", "/v1/pickers/company_ids")).body as Values).value).toEqual([{ id: "acme", title: "Acme" }]);
    const admins = ((await h.call("GET", "/v1/pickers/admins")).body as Values).value;
    expect(admins.map((admin) => admin.id)).toContain(ws.ownerAdminId);
    expect(((await h.call("GET", "/v1/pickers/teams")).body as Values).value).toEqual([{ id: team.id, title: "Support" }]);
    const fields = ((await h.call("GET", "/v1/pickers/contact_attributes")).body as Values).value;
    expect(fields).toContainEqual({ id: "email", title: "Email" });
    expect(fields).toContainEqual({ id: "custom_attributes.plan", title: "plan" });
    expect(((await h.call("GET", "/v1/pickers/ticket_types")).body as Values).value).toEqual([{ id: bug.id, title: "Bug report" }]);
    expect(await h.intercomCalls()).toBe(before + 8);
  });

  it("refuses an unknown picker naming it, with no Intercom call and no budget spent", async () => {
    h = await startServiceHarness({ callsPerMinute: 1 });
    for (let i = 0; i < 3; i++) {
      const refused = await h.call("GET", "/v1/pickers/contacts");
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: "invalid_input", field: "picker" } });
      expect((refused.body as { error: { message: string } }).error.message).toContain("must be one of tags, tag_names, companies");
    }
    expect(await h.intercomCalls()).toBe(0);
    expect((await h.call("GET", "/v1/pickers/tags")).status).toBe(200);
    // The budget of one call is spent now: a picker is a call like any other.
    expect((await h.call("GET", "/v1/pickers/tags")).status).toBe(429);
  });

  it("needs the connection's API key", async () => {
    h = await startServiceHarness();
    expect((await h.call("GET", "/v1/pickers/tags", { key: null })).status).toBe(401);
    expect((await h.call("GET", "/v1/custom-attributes/contact/schema", { key: "nope" })).status).toBe(401);
  });
});

describe("GET /v1/custom-attributes/{model}/schema", () => {
  it("answers one field per live, writable custom attribute of its type, labelled for Power Automate", async () => {
    h = await startServiceHarness();
    const ws = h.em.workspace;
    defineCustomAttribute(ws, { name: "plan", model: "contact", data_type: "options", options: ["free", "pro"], description: "The plan" });
    defineCustomAttribute(ws, { name: "seats", model: "contact", data_type: "integer" });
    defineCustomAttribute(ws, { name: "score", model: "contact", data_type: "float" });
    defineCustomAttribute(ws, { name: "vip", model: "contact", data_type: "boolean" });
    defineCustomAttribute(ws, { name: "renews_at", model: "contact", data_type: "datetime" });
    defineCustomAttribute(ws, { name: "nickname", model: "contact", data_type: "string" });
    defineCustomAttribute(ws, { name: "old", model: "contact", data_type: "string" }).archived = true;
    defineCustomAttribute(ws, { name: "tier", model: "company", data_type: "string" });
    const before = await h.intercomCalls();
    const contact = await h.call("GET", "/v1/custom-attributes/contact/schema");
    expect(contact.status).toBe(200);
    expect(contact.body).toEqual({
      model: "contact",
      schema: {
        type: "object",
        properties: {
          plan: { type: "string", enum: ["free", "pro"], "x-ms-summary": "plan", description: "The plan" },
          seats: { type: "integer", "x-ms-summary": "seats", description: "seats" },
          score: { type: "number", "x-ms-summary": "score", description: "score" },
          vip: { type: "boolean", "x-ms-summary": "vip", description: "vip" },
          renews_at: { type: "integer", minimum: 0, "x-ms-summary": "renews_at", description: "renews_at (a date, Unix seconds)" },
          nickname: { type: "string", maxLength: 255, "x-ms-summary": "nickname", description: "nickname" },
        },
      },
    });
    const company = await h.call("GET", "/v1/custom-attributes/company/schema");
    expect(Object.keys((company.body as { schema: { properties: object } }).schema.properties)).toEqual(["tier"]);
    expect(await h.intercomCalls()).toBe(before + 2);
    const refused = await h.call("GET", "/v1/custom-attributes/conversation/schema");
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "invalid_input", field: "model" } });
    expect(await h.intercomCalls()).toBe(before + 2);
  });
});
