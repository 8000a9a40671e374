import { afterEach, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../contract/index.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type ErrorAnswer = { error: { code: string; message: string; retry_after?: number } };

/** Every authenticated endpoint, with a valid request for the harness's connection. */
function endpoints(connectionId: string): Array<[string, string, unknown?]> {
  return [
    ["GET", "/v1/connections"],
    ["GET", `/v1/connections/${connectionId}`],
    ["POST", `/v1/connections/${connectionId}/test`],
    ["DELETE", `/v1/connections/${connectionId}`],
    ["POST", "/v1/actions/CreateUser", { email: "u@example.com" }],
    ["POST", "/v1/actions/CreateLead", { email: "l@example.com" }],
    ["GET", "/v1/actions/ListLeads"],
    ["POST", "/v1/actions/GetLead", { contact_id: "5f0000000000000000000000" }],
    ["POST", "/v1/actions/GetUser", { user_id: "5f0000000000000000000000" }],
    ["GET", "/v1/triggers/TrigNewLead/poll"],
    ["GET", "/v1/triggers/TrigNewUser/poll"],
    ["GET", "/v1/triggers/TrigUpdateUser/poll"],
    ["GET", "/v1/triggers/TrigNewConversation/poll"],
  ];
}

describe("API keys", () => {
  it("answers 401 unauthorized without a key or with an unknown one, on every authenticated endpoint, doing nothing", async () => {
    h = await startServiceHarness();
    const before = await h.intercomCalls();
    for (const [method, url, body] of endpoints(h.connection.id)) {
      for (const key of [null, "", "icc_not-a-key", `${h.apiKey}x`]) {
        const answer = await h.call(method, url, { key, ...(body === undefined ? {} : { body }) });
        expect(answer.status, `${method} ${url} ${String(key)}`).toBe(401);
        expect(answer.body).toEqual({ error: { code: "unauthorized", message: ERROR_CODES.unauthorized.message } });
      }
    }
    expect(await h.intercomCalls()).toBe(before);
    expect(await h.store.getConnection(h.connection.id)).not.toBeNull();
    expect(await h.store.listSubscriptions()).toEqual([]);
  });

  it("answers 403 forbidden to another connection's key on this connection's URLs", async () => {
    h = await startServiceHarness();
    const other = await h.newConnection();
    for (const [method, url] of endpoints(h.connection.id).filter(([, url]) => url.includes(h?.connection.id ?? "?"))) {
      const answer = await h.call(method, url, { key: other.apiKey });
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect((answer.body as ErrorAnswer).error.code).toBe("forbidden");
    }
    expect(await h.store.getConnection(h.connection.id)).not.toBeNull();
  });

  it("keeps /health open without a key", async () => {
    h = await startServiceHarness();
    const health = await h.call("GET", "/health", { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
  });
});

describe("the per-connection budget", () => {
  it("answers the 101st Intercom call within 60 s with 429 rate_limited and Retry-After, by default, for that connection only", async () => {
    h = await startServiceHarness();
    const lead = await h.createLeadInIntercom("budget@example.com");
    for (let i = 1; i <= 100; i++) {
      const answer = await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: lead } });
      expect(answer.status, `call ${i}`).toBe(200);
      // Answered without Intercom: costs nothing.
      if (i % 10 === 0) expect((await h.call("GET", "/v1/connections")).status).toBe(200);
    }
    const refused = await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: lead } });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      error: { code: "rate_limited", message: `The connection's budget of 100 calls per 60 seconds is spent; retry in ${retryAfter} seconds`, retry_after: retryAfter },
    });
    // Validation comes first: bad input is a 400 naming the field, even with the budget spent.
    const bad = await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "invalid_input", field: "contact_id" } });
    const other = await h.newConnection();
    expect((await h.call("POST", "/v1/actions/GetLead", { key: other.apiKey, body: { contact_id: lead } })).status).toBe(200);
    // A refused call spent nothing: still refused, not pushed further out.
    expect((await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: lead } })).status).toBe(429);
  });

  it("counts actions and trigger scans alike; invalid input and answers from the outbox cost nothing; a refused call reaches no one", async () => {
    h = await startServiceHarness({ callsPerMinute: 3 });
    expect((await h.call("POST", "/v1/actions/CreateLead", { body: { email: "one@example.com" } })).status).toBe(200);
    const subscribed = await h.call("GET", "/v1/triggers/TrigNewLead/poll"); // the baseline scan
    expect(subscribed.status).toBe(202);
    for (let i = 0; i < 5; i++) expect((await h.call("POST", "/v1/actions/CreateLead", { body: { email: "not an email" } })).status).toBe(400);
    expect((await h.call("GET", `/v1/connections/${h.connection.id}`)).status).toBe(200);
    // Not due yet: answered from the outbox, without Intercom.
    expect((await h.call("GET", String(subscribed.headers.location))).status).toBe(202);
    expect((await h.call("POST", "/v1/actions/CreateLead", { body: { email: "two@example.com" } })).status).toBe(200);
    const before = await h.intercomCalls();
    const refused = await h.call("POST", "/v1/actions/CreateLead", { body: { email: "three@example.com" } });
    expect(refused.status).toBe(429);
    expect((refused.body as ErrorAnswer).error.message).toContain("budget of 3 calls per 60 seconds");
    // A new subscription needs its baseline scan: refused, and nothing is kept.
    expect((await h.call("GET", "/v1/triggers/TrigNewUser/poll")).status).toBe(429);
    expect(await h.store.listSubscriptions({ triggerId: "TrigNewUser" })).toEqual([]);
    expect(await h.intercomCalls()).toBe(before);
  });
});
