import { afterEach, describe, expect, it } from "vitest";
import { operationIds } from "../../contract/index.js";
import { CONNECTOR_ROUTES } from "../openapi/routes.js";
import { WebhookSubscriptionStatus } from "../openapi/shapes.js";
import { PUBLIC_CALLBACKS_ONLY } from "./callback-policy.js";
import { redactCallbackUrl } from "./subscription-routes.js";
import { startWebhookFixture, type WebhookFixture } from "./testing/fixture.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "./testing/receiver.js";

let f: WebhookFixture | undefined;
let receiver: StandardWebhookReceiver | undefined;
afterEach(async () => {
  await f?.close();
  await receiver?.close();
  f = undefined;
  receiver = undefined;
});

describe("redactCallbackUrl", () => {
  it("replaces every query value, keeps the names, drops a fragment, and leaves a URL without a query alone", () => {
    expect(redactCallbackUrl("https://prod-01.example.com/workflows/w/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=abc")).toBe(
      "https://prod-01.example.com/workflows/w/invoke?api-version=redacted&sp=redacted&sv=redacted&sig=redacted",
    );
    expect(redactCallbackUrl("https://example.com/hook?token&sig=a&sig=b#frag")).toBe("https://example.com/hook?token=redacted&sig=redacted");
    expect(redactCallbackUrl("https://example.com/hook")).toBe("https://example.com/hook");
  });
});

describe("webhook subscription endpoints", () => {
  it("creates a subscription: 201, Location, the secret once; GET shows it without the secret, the callback URL's query redacted", async () => {
    f = await startWebhookFixture();
    const callbackUrl = "https://example.com/hook?api-version=2016-06-01&sig=abc-0123456789";
    const created = await f.api("POST", "/v1/triggers/TrigNewUser/subscriptions", { body: { callback_url: callbackUrl } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get("location")).toBe(`${f.baseUrl}/v1/subscriptions/${id}`);
    expect(created.body).toEqual({
      id,
      trigger_id: "TrigNewUser",
      callback_url: "https://example.com/hook?api-version=redacted&sig=redacted",
      created_at: expect.any(String) as string,
      retry: { first_delay_seconds: 5, max_delay_seconds: 3_600, give_up_after_seconds: 86_400 },
      secret: expect.stringMatching(/^whsec_/) as string,
    });
    expect(await f.store.getWebhookSecret(id)).toBe(created.body.secret);
    // Deliveries go to the URL as given.
    expect((await f.store.getWebhook(id))?.callbackUrl).toBe(callbackUrl);
    // The baseline poll ran: the subscription has its cursor, the next poll is an interval away.
    const subscription = await f.store.getSubscription(id);
    expect(subscription?.cursorVersion).toBe(2); // the scan's reservation of the interval, then its commit
    expect(subscription?.cursor).not.toBe("null");

    const location = new URL(created.headers.get("location") ?? "");
    const shown = await f.api("GET", location.pathname);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, trigger_id: "TrigNewUser", callback_url: "https://example.com/hook?api-version=redacted&sig=redacted", events: { pending: 0, delivered: 0, dead: 0 } });
    // What the OpenAPI document says GetSubscription answers.
    expect(WebhookSubscriptionStatus.safeParse(shown.body).error).toBeUndefined();
    expect(JSON.stringify(shown.body)).not.toContain("whsec_");
    expect(JSON.stringify(shown.body)).not.toContain("abc-0123456789");
    await f.app.close(); // flushes the request logs
    expect(f.logs.join("\n")).not.toContain("abc-0123456789");
  });

  it("refuses a callback URL on a private address, localhost or with credentials (400 naming callback_url, saying why), keeping nothing", async () => {
    // example.com answered by the test, so that the allowed case below never asks the network.
    f = await startWebhookFixture({ callbackPolicy: { ...PUBLIC_CALLBACKS_ONLY, resolve: async () => [{ address: "93.184.215.14", family: 4 }] } });
    const fx = f;
    const cases: Array<[string, RegExp]> = [
      ["http://127.0.0.1:8080/hook?sig=s3cr3t", /must not point to a loopback address \(127\.0\.0\.1\)/],
      ["http://[::1]:8080/hook?sig=s3cr3t", /must not point to a loopback address \(::1\)/],
      ["http://[::ffff:127.0.0.1]/hook?sig=s3cr3t", /must not point to a loopback address/],
      ["http://10.0.0.1/hook?sig=s3cr3t", /must not point to a private address \(10\.0\.0\.1\)/],
      ["http://169.254.169.254/latest/meta-data/?sig=s3cr3t", /must not point to a link-local address \(169\.254\.169\.254\)/],
      ["http://localhost:3000/hook?sig=s3cr3t", /must not point to localhost/],
      ["http://user:pass@example.com/hook?sig=s3cr3t", /must not carry a user name or password/],
      ["ftp://example.com/hook?sig=s3cr3t", /must be an http or https URL/],
    ];
    for (const [callbackUrl, reason] of cases) {
      const answer = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: callbackUrl } });
      expect(answer.status, callbackUrl).toBe(400);
      expect(answer.body, callbackUrl).toMatchObject({ error: { code: "invalid_input", field: "callback_url", message: expect.stringMatching(reason) as string } });
      expect(JSON.stringify(answer.body)).not.toMatch(/s3cr3t|pass@/);
    }
    expect(await fx.store.listSubscriptions()).toEqual([]);
    expect(await fx.store.listWebhooks()).toEqual([]);
    const allowed = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook?sig=s3cr3t" } });
    expect(allowed.status).toBe(201);
    await fx.app.close(); // flushes the request logs
    expect(fx.logs.join("\n")).not.toContain("s3cr3t");
  });

  it("refuses a bad callback URL or trigger (400) and keeps nothing", async () => {
    f = await startWebhookFixture();
    const fx = f;
    const cases: Array<[string, unknown, string]> = [
      ["/v1/triggers/TrigNewLead/subscriptions", {}, "callback_url"],
      ["/v1/triggers/TrigNewLead/subscriptions", { callback_url: "ftp://example.com/x" }, "callback_url"],
      ["/v1/triggers/TrigNewLead/subscriptions", { callback_url: "not a url" }, "callback_url"],
      ["/v1/triggers/TrigNewLead/subscriptions", { callback_url: "https://example.com", extra: 1 }, "extra"],
    ];
    for (const [path, body, field] of cases) {
      const answer = await fx.api("POST", path, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "invalid_input", field } });
    }
    // The outside report's 900 KB and control characters, and credentials, whatever the policy.
    for (const [callbackUrl, reason] of [
      [`https://example.com/${"a".repeat(900 * 1024)}`, "must be at most 2048 characters"],
      ["https://example.com/ho\u0001ok?sig=s3cr3t", "must not contain spaces or control characters"],
      ["https://example.com/hook\r\nX-Injected: 1", "must not contain spaces or control characters"],
      ["https://user:s3cr3t@example.com/hook", "must not carry a user name or password"],
      ["javascript:alert(1)", "must be an http or https URL"],
    ] as const) {
      const answer = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: callbackUrl } });
      expect(answer.status, callbackUrl.slice(0, 40)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "invalid_input", field: "callback_url", message: `Invalid input: callback_url ${reason}` } });
      expect(JSON.stringify(answer.body)).not.toMatch(/s3cr3t|aaaa/);
    }
    const notATrigger = await fx.api("POST", "/v1/triggers/GetLead/subscriptions", { body: { callback_url: "https://example.com" } });
    expect(notATrigger.body).toMatchObject({ error: { code: "route_not_found" } });
    expect(await fx.store.listSubscriptions()).toEqual([]);
  });

  it("serves every webhook route of the OpenAPI route table, one subscribe path per trigger", async () => {
    f = await startWebhookFixture();
    const table = CONNECTOR_ROUTES.filter((route) => ["webhook-trigger", "unsubscribe", "subscription", "dead-letters", "replay"].includes(route.kind));
    expect(table.map((route) => `${route.method} ${route.path}`)).toEqual([
      ...operationIds("trigger").map((id) => `POST /v1/triggers/${id}/subscriptions`),
      "DELETE /v1/subscriptions/{subscriptionId}",
      "GET /v1/subscriptions/{subscriptionId}",
      "GET /v1/subscriptions/{subscriptionId}/dead-letters",
      "POST /v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay",
    ]);
    for (const route of table) expect(f.app.hasRoute({ method: route.method, url: route.url }), route.path).toBe(true);
    for (const triggerId of operationIds("trigger")) {
      const created = await f.api("POST", `/v1/triggers/${triggerId}/subscriptions`, { body: { callback_url: "https://example.com/hook" } });
      expect(created.status).toBe(201);
      expect(created.body.trigger_id).toBe(triggerId);
    }
  });

  it("keeps nothing when the baseline poll fails (Intercom refuses the token)", async () => {
    f = await startWebhookFixture();
    await f.store.updateConnection(f.connection.id, { accessToken: "revoked-token" });
    const answer = await f.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook" } });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: "intercom_unauthorized" } });
    expect(await f.store.listSubscriptions()).toEqual([]);
    expect(await f.store.listWebhooks()).toEqual([]);
  });

  it("needs the API key; another connection's key sees no subscription and can delete none", async () => {
    f = await startWebhookFixture();
    const fx = f;
    const created = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook" } });
    const id = created.body.id as string;
    const routes: Array<[string, string]> = [
      ["GET", `/v1/subscriptions/${id}`],
      ["GET", `/v1/subscriptions/${id}/dead-letters`],
      ["POST", `/v1/subscriptions/${id}/dead-letters/1/replay`],
      ["DELETE", `/v1/subscriptions/${id}`],
    ];
    for (const [method, path] of [...routes, ["POST", "/v1/triggers/TrigNewLead/subscriptions"] as [string, string]]) {
      expect((await fx.api(method, path, { apiKey: null })).body, `${method} ${path} without a key`).toMatchObject({ error: { code: "unauthorized" } });
      expect((await fx.api(method, path, { apiKey: "icc_wrong" })).status).toBe(401);
    }
    for (const [method, path] of routes) {
      const answer = await fx.api(method, path, { apiKey: fx.otherApiKey });
      expect(answer.status, `${method} ${path} with another connection's key`).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: "webhook_not_found" } });
    }
    expect(await fx.store.getWebhook(id)).not.toBeNull();
    expect((await fx.api("GET", "/v1/subscriptions/no-such-id")).body).toMatchObject({ error: { code: "webhook_not_found" } });
  });

  it("DELETE stops the deliveries and the polling: nothing more arrives", async () => {
    f = await startWebhookFixture({ pollIntervalSeconds: 0.1 });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    const created = await f.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: hooks.url } });
    const id = created.body.id as string;
    hooks.secret = created.body.secret as string;
    f.startWorker();
    const first = await f.createLead("before-delete@example.com");
    await waitUntil(() => hooks.accepted().length === 1, "the first delivery");
    expect(hooks.accepted()[0]?.payload.id).toBe(first);

    const deleted = await f.api("DELETE", new URL(created.headers.get("location") ?? "").pathname);
    expect(deleted.status).toBe(204);
    expect(await f.store.getSubscription(id)).toBeNull();
    await f.createLead("after-delete@example.com");
    await new Promise((resolve) => setTimeout(resolve, 600)); // six poll intervals
    expect(hooks.received).toHaveLength(1);
    expect((await f.api("DELETE", `/v1/subscriptions/${id}`)).status).toBe(404);
    expect((await f.api("GET", `/v1/subscriptions/${id}`)).status).toBe(404);
  });

  it("spends the connection's budget on each baseline scan: over it, 429 with Retry-After and nothing stored; reading costs nothing", async () => {
    f = await startWebhookFixture({ callsPerWindow: 1 });
    const created = await f.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook" } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await f.api("GET", `/v1/subscriptions/${created.body.id as string}`)).status).toBe(200);
    const refused = await f.api("POST", "/v1/triggers/TrigNewUser/subscriptions", { body: { callback_url: "https://example.com/hook" } });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await f.store.listSubscriptions({ triggerId: "TrigNewUser" })).length).toBe(0);
  });

});
