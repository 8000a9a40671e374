import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Lead_Response, TrigLead_Response, User_Response } from "../contract/index.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Fetched {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A service on a real socket (port 0), called with fetch. */
async function listening(): Promise<{ base: string; call: (url: string, init?: { method?: string; key?: string | null; body?: unknown }) => Promise<Fetched> }> {
  if (h === undefined) throw new Error("no harness");
  const harness = h;
  await harness.app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  return {
    base,
    async call(url, init = {}) {
      const key = init.key === undefined ? harness.apiKey : init.key;
      const response = await fetch(url.startsWith("http") ? url : `${base}${url}`, {
        method: init.method ?? "GET",
        headers: { ...(key === null ? {} : { "X-API-Key": key }), ...(init.body === undefined ? {} : { "Content-Type": "application/json" }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === "" ? null : (JSON.parse(text) as unknown) };
    },
  };
}

describe("the service over a real socket", () => {
  it("answers every endpoint, and its Location and nextLink URLs work as given", async () => {
    h = await startServiceHarness();
    const { base, call } = await listening();

    expect((await call("/health", { key: null })).body).toEqual({ status: "ok" });
    const swagger = await call("/openapi.json", { key: null });
    expect(swagger.status).toBe(200);
    expect(swagger.body).toMatchObject({ swagger: "2.0", host: base.slice("http://".length), schemes: ["http"] });

    // Connections.
    const created = await call("/v1/connections", { key: null, method: "POST", body: { access_token: h.em.token, base_url: h.em.baseUrl, region: "eu" } });
    expect(created.status).toBe(201);
    const { connection, api_key: otherKey } = created.body as { connection: { id: string }; api_key: string };
    expect(created.headers.get("location")).toBe(`${base}/v1/connections/${connection.id}`);
    expect((await call(String(created.headers.get("location")), { key: otherKey })).status).toBe(200);
    expect((await call("/v1/connections")).body).toMatchObject({ value: [{ id: h.connection.id }] });
    expect((await call(`/v1/connections/${h.connection.id}`)).status).toBe(200);
    expect((await call(`/v1/connections/${h.connection.id}/test`, { method: "POST" })).status).toBe(200);

    // Actions.
    const user = await call("/v1/actions/CreateUser", { method: "POST", body: { email: "sock@example.com", name: "Sock" } });
    expect(user.status).toBe(200);
    const userId = User_Response.parse(user.body).id;
    expect(User_Response.parse((await call("/v1/actions/GetUser", { method: "POST", body: { user_id: userId } })).body).email).toBe("sock@example.com");
    const lead = await call("/v1/actions/CreateLead", { method: "POST", body: { email: "socklead@example.com" } });
    const leadId = Lead_Response.parse(lead.body).id;
    expect((await call("/v1/actions/GetLead", { method: "POST", body: { contact_id: leadId } })).body).toEqual(lead.body);
    for (let i = 0; i < 150; i++) h.em.workspace.insertContact({ role: "lead", email: `bulk${i}@example.com` });
    let page = await call("/v1/actions/ListLeads");
    let total = 0;
    for (;;) {
      expect(page.status).toBe(200);
      const { value, nextLink } = page.body as { value: unknown[]; nextLink?: string };
      total += value.length;
      if (nextLink === undefined) break;
      expect(nextLink.startsWith(`${base}/v1/actions/ListLeads?cursor=`)).toBe(true);
      page = await call(nextLink);
    }
    expect(total).toBe(151);

    // A trigger, followed through its Location as Power Automate does.
    const subscribed = await call("/v1/triggers/TrigNewLead/poll");
    expect(subscribed.status).toBe(202);
    expect(subscribed.headers.get("retry-after")).toBe("120");
    const location = String(subscribed.headers.get("location"));
    expect(location.startsWith(`${base}/v1/triggers/TrigNewLead/poll?state=`)).toBe(true);
    expect((await call(location)).status).toBe(202);
    await h.createLeadInIntercom("fresh@example.com");
    h.clock.advance(120_000);
    const fired = await call(location);
    expect(fired.status).toBe(200);
    const receipt = String(fired.headers.get("location"));
    expect(receipt.startsWith(`${base}/v1/triggers/TrigNewLead/poll?state=`)).toBe(true);
    expect(receipt).not.toBe(location);
    expect((fired.body as unknown[]).map((item) => TrigLead_Response.parse(item).email)).toEqual(["fresh@example.com"]);
    expect((await call(receipt)).status).toBe(202);

    // Errors keep the one shape over the wire too.
    const bad = await call("/v1/actions/CreateLead", { method: "POST", body: { email: "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { code: "invalid_input", message: "Invalid input: email must be a valid email address", field: "email", issues: [{ field: "email", reason: "must be a valid email address" }] } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    expect((await call(`/v1/connections/${connection.id}`, { method: "DELETE", key: otherKey })).status).toBe(204);
    expect((await call("/v1/connections", { key: otherKey })).status).toBe(401);
  });
});
