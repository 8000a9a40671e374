import { afterEach, describe, expect, it } from "vitest";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ADMIN_KEY = "admin-key-that-must-never-be-logged";
const SIGNATURE = "sha1=0123456789abcdef0123456789abcdef01234567";

describe("logs", () => {
  it("hold request ids and outcomes but no token, API key, admin key or signature, through a full flow", async () => {
    h = await startServiceHarness({ adminKey: ADMIN_KEY });
    const secretHeaders = { authorization: `Bearer ${h.em.token}`, "x-hub-signature": SIGNATURE, "x-admin-key": ADMIN_KEY };

    const created = await h.call("POST", "/v1/connections", {
      key: null,
      headers: secretHeaders,
      body: { access_token: h.em.token, base_url: h.em.baseUrl, intercom_client_secret: "client-secret-never-logged" },
    });
    expect(created.status).toBe(201);
    const { api_key: newKey, connection } = created.body as { api_key: string; connection: { id: string } };
    const keys = [h.apiKey, newKey];
    for (const key of keys) {
      expect((await h.call("GET", "/v1/connections", { key, headers: secretHeaders })).status).toBe(200);
      expect((await h.call("POST", "/v1/actions/CreateLead", { key, headers: secretHeaders, body: { email: `${key.slice(-6)}@example.com` } })).status).toBe(200);
      expect((await h.call("GET", "/v1/actions/ListLeads", { key })).status).toBe(200);
      expect((await h.call("POST", "/v1/actions/GetUser", { key, body: { user_id: "not valid" } })).status).toBe(400);
    }
    const first = await h.call("GET", "/v1/triggers/TrigNewLead/poll", { headers: secretHeaders });
    const next = new URL(String(first.headers.location));
    await h.createLeadInIntercom("logged-flow@example.com");
    h.clock.advance(120_000);
    expect((await h.call("GET", `${next.pathname}${next.search}`)).status).toBe(200);
    expect((await h.call("POST", `/v1/connections/${connection.id}/test`, { key: newKey })).status).toBe(200);
    expect((await h.call("GET", "/v1/connections", { key: "icc_wrong-key-also-never-logged" })).status).toBe(401);
    expect((await h.call("DELETE", `/v1/connections/${connection.id}`, { key: newKey })).status).toBe(204);
    // Anything that logs a request's headers anyway is redacted.
    h.app.log.info({ headers: { "x-api-key": h.apiKey, authorization: `Bearer ${h.em.token}`, "x-hub-signature": SIGNATURE }, api_key: newKey }, "headers");
    h.app.log.info({ req: { method: "GET", url: "/x?y=1", headers: { "x-api-key": h.apiKey } } }, "request-like");

    const text = h.logs.join("");
    for (const secret of [h.em.token, ...keys, ADMIN_KEY, SIGNATURE, "client-secret-never-logged", "icc_wrong-key-also-never-logged"]) {
      expect(text.includes(secret), `a secret (${secret.slice(0, 6)}…) is in the logs`).toBe(false);
    }
    // The logs are there: one completion line per request, each with its request id.
    const lines = h.logs.map((line) => JSON.parse(line) as { reqId?: string; msg: string; res?: { statusCode: number }; req?: unknown; headers?: unknown; api_key?: string });
    const completed = lines.filter((l) => l.msg === "request completed");
    expect(completed.length).toBeGreaterThanOrEqual(14);
    expect(completed.every((l) => typeof l.reqId === "string" && l.reqId.length === 36)).toBe(true);
    expect(completed.map((l) => l.res?.statusCode)).toContain(401);
    expect(lines.find((l) => l.msg === "headers")).toMatchObject({
      headers: { "x-api-key": "[redacted]", authorization: "[redacted]", "x-hub-signature": "[redacted]" },
      api_key: "[redacted]",
    });
    expect(lines.find((l) => l.msg === "request-like")?.req).toEqual({ method: "GET", url: "/x" });
  });
});
