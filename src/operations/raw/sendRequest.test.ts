import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RawResponse } from "../../contract/catalogue/raw.js";
import { unwrap } from "../../contract/index.js";
import { Deadline } from "../../intercom/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { sendRequest } from "./sendRequest.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

describe("SendRequest", () => {
  it("answers Intercom's status and JSON body, with the query sent", async () => {
    const me = unwrap(await sendRequest.run(c.intercom, { method: "GET", path: "/me" }));
    expect(me).toMatchObject({ status: 200, body: { type: "admin", id: c.em.workspace.ownerAdminId } });
    expect(RawResponse.parse(me)).toEqual(me);
    const companies = unwrap(await sendRequest.run(c.intercom, { method: "GET", path: "/data_attributes", query: { model: "company", include_archived: false } }));
    expect(companies.status).toBe(200);
    const data = (companies.body as { data: Array<{ model: string }> }).data;
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((a) => a.model === "company")).toBe(true);
    expect(await c.calls()).toEqual({ total: 2, calls: { "GET /me": 1, "GET /data_attributes": 1 } });
  });

  it("sends a JSON body, and an empty 202 is a null body", async () => {
    const created = unwrap(await sendRequest.run(c.intercom, { method: "POST", path: "/tags", body: { name: "VIP" } }));
    expect(created).toMatchObject({ status: 200, body: { type: "tag", name: "VIP" } });
    const user = c.em.workspace.insertContact({ role: "user", external_id: "u-1" });
    const event = unwrap(await sendRequest.run(c.intercom, { method: "POST", path: "/events", body: { event_name: "raw-event", user_id: "u-1", created_at: 1_795_523_438 } }));
    expect(event).toEqual({ status: 202, body: null });
    expect(c.em.workspace.events.get(user.id)?.map((e) => e.event_name)).toEqual(["raw-event"]);
  });

  it("answers Intercom's 4xx as a value with its error list, but 429 and 5xx as the connection's errors", async () => {
    const missing = unwrap(await sendRequest.run(c.intercom, { method: "GET", path: "/contacts/6762f0a51bb69f9f2193bb5c" }));
    expect(missing).toMatchObject({ status: 404, body: { type: "error.list", errors: [{ code: "not_found" }] } });
    const invalid = unwrap(await sendRequest.run(c.intercom, { method: "POST", path: "/data_attributes", body: { name: "x", model: "nope", data_type: "string" } }));
    expect(invalid.status).toBe(400);
    await c.workspace("POST", "/faults", { kind: "429", count: 5, route: "GET /me", retry_after: 120 });
    const limited = await sendRequest.run(c.transport({ maxRetries: 0 }), { method: "GET", path: "/me" });
    expect(!limited.ok && limited.error.toJSON()).toMatchObject({ code: "intercom_rate_limited", status: 429 });
    await c.workspace("DELETE", "/faults");
    await c.workspace("POST", "/faults", { kind: "500", count: 1, route: "GET /me" });
    const retried = unwrap(await sendRequest.run(c.intercom, { method: "GET", path: "/me" }));
    expect(retried.status).toBe(200);
    await c.workspace("POST", "/faults", { kind: "503", count: 5, route: "GET /me" });
    const down = await sendRequest.run(c.transport({ maxRetries: 0 }), { method: "GET", path: "/me" });
    expect(!down.ok && down.error.toJSON()).toMatchObject({ code: "intercom_unavailable", status: 503 });
    const unauthorized = await sendRequest.run(c.transport({ accessToken: "wrong-token" }), { method: "GET", path: "/me" });
    expect(!unauthorized.ok && unauthorized.error.toJSON()).toMatchObject({ code: "intercom_unauthorized", status: 401 });
  });

  it("refuses every path outside the API before any call", async () => {
    for (const path of [
      "https://evil.invalid/me",
      "//evil.invalid/me",
      "me",
      "/contacts/../../me",
      "/contacts/./x",
      "/contacts/%2e%2e/me",
      "/contacts/%2E/me",
      "/contacts%2fme",
      "/contacts\\me",
      "/contacts/\u0000",
      "/contacts/%0a",
      "/contacts?x=1",
      "/contacts#x",
      "/with space",
      "/_emulator/workspaces",
      "/_EMULATOR",
      "/bad%zz",
      `/${"a".repeat(3000)}`,
    ]) {
      const result = await sendRequest.run(c.intercom, { method: "GET", path });
      expect(!result.ok && result.error.toJSON(), path).toMatchObject({ code: "invalid_input", status: 400, field: "path" });
    }
    for (const [input, field] of [
      [{ method: "PATCH", path: "/me" }, "method"],
      [{ method: "GET", path: "/me", body: {} }, "body"],
      [{ method: "GET", path: "/me", query: { a: { b: 1 } } }, "query"],
      [{ method: "GET" }, "path"],
    ] as const) {
      const result = await sendRequest.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("keeps the connection's timeouts and the action's deadline, and never shows the token", async () => {
    await c.workspace("POST", "/faults", { kind: "hang", count: 1, route: "GET /me" });
    const timedOut = await sendRequest.run(c.transport({ timeoutSeconds: 0.3, maxRetries: 0 }), { method: "GET", path: "/me" });
    expect(!timedOut.ok && timedOut.error.toJSON()).toMatchObject({ code: "intercom_timeout", status: 504 });
    await c.workspace("POST", "/faults", { kind: "hang", count: 1, route: "GET /me" });
    const started = Date.now();
    const deadline = new Deadline(300);
    const late = await sendRequest.run(c.intercom.within(deadline), { method: "GET", path: "/me" });
    expect(!late.ok && late.error.code).toBe("intercom_timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
    const secret = "tok_never-shown-789";
    const refused = await sendRequest.run(c.transport({ accessToken: secret }), { method: "GET", path: "/me" });
    expect(JSON.stringify(!refused.ok && refused.error.toJSON())).not.toContain(secret);
    const echoed = unwrap(await sendRequest.run(c.intercom, { method: "GET", path: "/contacts/6762f0a51bb69f9f2193bb5c" }));
    expect(JSON.stringify(echoed)).not.toContain(c.connection.accessToken);
  });
});
