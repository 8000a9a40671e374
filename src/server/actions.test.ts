import { afterEach, describe, expect, it } from "vitest";
import { Lead_Response, ListLeads_Response, User_Response } from "../contract/index.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

describe("actions", () => {
  it("CreateUser creates, then updates the user with the same email; GetUser reads it", async () => {
    h = await startServiceHarness();
    await h.em.request("POST", "/companies", { company_id: "acme-001", name: "Acme" });
    const created = await h.call("POST", "/v1/actions/CreateUser", { body: { email: "ada@example.com", name: "Ada", companies: "acme-001" } });
    expect(created.status).toBe(200);
    const user = User_Response.parse(created.body);
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", session_count: null });

    const updated = await h.call("POST", "/v1/actions/CreateUser", { body: { email: "ada@example.com", phone: "+351 912 345 678" } });
    expect(updated.status).toBe(200);
    expect(User_Response.parse(updated.body)).toMatchObject({ id: user.id, phone: "+351 912 345 678", name: "Ada" });

    const got = await h.call("POST", "/v1/actions/GetUser", { body: { user_id: user.id } });
    expect(got.status).toBe(200);
    expect(User_Response.parse(got.body)).toMatchObject({ id: user.id, email: "ada@example.com" });
  });

  it("CreateLead creates a lead with its avatar; GetLead reads it; the other role is 404 wrong_role", async () => {
    h = await startServiceHarness();
    const created = await h.call("POST", "/v1/actions/CreateLead", { body: { email: "liz@example.com", name: "Liz", image_url: "https://example.com/liz.png" } });
    expect(created.status).toBe(200);
    const lead = Lead_Response.parse(created.body);
    expect(lead).toMatchObject({ email: "liz@example.com", avatar: { image_url: "https://example.com/liz.png" } });
    const got = await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: lead.id } });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(lead);

    const wrongRole = await h.call("POST", "/v1/actions/GetUser", { body: { user_id: lead.id } });
    expect(wrongRole.status).toBe(404);
    expect(wrongRole.body).toEqual({ error: { code: "wrong_role", message: `Contact ${lead.id} is a lead, not a user`, field: "user_id" } });
    const missing = await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: "5f0000000000000000000000" } });
    expect(missing.status).toBe(404);
    expect((missing.body as ErrorAnswer).error.code).toBe("not_found");
  });

  it("ListLeads pages with an absolute nextLink until every lead is read once", async () => {
    h = await startServiceHarness();
    const start = Math.floor(Date.now() / 1000) - 10_000;
    const emails = new Set<string>();
    for (let i = 0; i < 170; i++) {
      const email = `lead${i}@example.com`;
      h.em.workspace.insertContact({ role: "lead", email, created_at: start + i });
      emails.add(email);
    }
    h.em.workspace.insertContact({ role: "user", email: "not-a-lead@example.com", created_at: start });

    const first = await h.call("GET", "/v1/actions/ListLeads");
    expect(first.status).toBe(200);
    const page1 = first.body as { value: unknown[]; nextLink?: string };
    expect(ListLeads_Response.parse(page1.value)).toHaveLength(150);
    expect(page1.nextLink).toMatch(/^http:\/\/localhost:80\/v1\/actions\/ListLeads\?cursor=leads\./);

    const next = new URL(page1.nextLink ?? "");
    const second = await h.call("GET", `${next.pathname}${next.search}`);
    expect(second.status).toBe(200);
    const page2 = second.body as { value: unknown[]; nextLink?: string };
    expect(page2.value).toHaveLength(20);
    expect(page2).not.toHaveProperty("nextLink");
    const seen = [...ListLeads_Response.parse(page1.value), ...ListLeads_Response.parse(page2.value)].map((l) => l.email ?? "");
    expect(new Set(seen)).toEqual(emails);
    expect(seen).toHaveLength(170);
  });

  it("builds nextLink on the public base URL when one is configured", async () => {
    h = await startServiceHarness({ publicBaseUrl: "https://connector.example.com/" });
    for (let i = 0; i < 151; i++) h.em.workspace.insertContact({ role: "lead", email: `p${i}@example.com` });
    const first = await h.call("GET", "/v1/actions/ListLeads");
    expect((first.body as { nextLink: string }).nextLink).toMatch(/^https:\/\/connector\.example\.com\/v1\/actions\/ListLeads\?cursor=/);
  });
});

describe("action errors", () => {
  it("answers invalid input with 400 naming the field, sending nothing to Intercom", async () => {
    h = await startServiceHarness();
    const before = await h.intercomCalls();
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/v1/actions/CreateUser", { name: "No email" }, "email"],
      ["POST", "/v1/actions/CreateUser", { email: "not-an-email" }, "email"],
      ["POST", "/v1/actions/CreateLead", { email: "a@example.com", image_url: "http://insecure.example.com/a.png" }, "image_url"],
      ["POST", "/v1/actions/CreateLead", { email: "a@example.com", favourite_colour: "blue" }, "favourite_colour"],
      ["POST", "/v1/actions/CreateLead", { email: 42 }, "email"],
      ["POST", "/v1/actions/GetLead", { contact_id: "has space" }, "contact_id"],
      ["POST", "/v1/actions/GetLead", {}, "contact_id"],
      ["POST", "/v1/actions/GetUser", { user_id: "abc", verbose: true }, "verbose"],
      ["GET", "/v1/actions/ListLeads?cursor=garbage", undefined, "cursor"],
      ["GET", "/v1/actions/ListLeads?cursor=a&cursor=b", undefined, "cursor"],
      ["GET", "/v1/actions/ListLeads?page=2", undefined, "page"],
    ];
    for (const [method, url, body, field] of cases) {
      const answer = await h.call(method, url, body === undefined ? {} : { body });
      expect(answer.status, url).toBe(400);
      const error = (answer.body as ErrorAnswer).error;
      expect(error.code, url).toBe("invalid_input");
      expect(error.field, `${url} ${JSON.stringify(body)}`).toBe(field);
      expect(error.message, url).toMatch(/^Invalid input: /);
    }
    expect(await h.intercomCalls()).toBe(before);
  });

  it("answers a body that is not JSON, or not an object, with 400 invalid_input", async () => {
    h = await startServiceHarness();
    const broken = await h.call("POST", "/v1/actions/CreateLead", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
    expect((broken.body as ErrorAnswer).error).toMatchObject({ code: "invalid_input", field: "body" });
    const text = await h.call("POST", "/v1/actions/CreateLead", { body: "email=a@example.com", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(400);
    expect((text.body as ErrorAnswer).error.code).toBe("invalid_input");
    const none = await h.call("POST", "/v1/actions/CreateLead");
    expect(none.status).toBe(400);
    expect((none.body as ErrorAnswer).error).toMatchObject({ code: "invalid_input", field: "input" });
  });

  it("answers an unknown company with 422 and creates nothing", async () => {
    h = await startServiceHarness();
    const answer = await h.call("POST", "/v1/actions/CreateLead", { body: { email: "x@example.com", companies: "no-such-company" } });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ error: { code: "company_not_found", message: "No company with company_id no-such-company", field: "companies" } });
    expect([...h.em.workspace.contacts.values()].some((c) => c.email === "x@example.com")).toBe(false);
  });

  it("answers unknown routes with 404 route_not_found in the one shape", async () => {
    h = await startServiceHarness();
    const answer = await h.call("GET", "/v1/actions/DeleteEverything?x=1");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: "route_not_found", message: "No route GET /v1/actions/DeleteEverything" } });
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
