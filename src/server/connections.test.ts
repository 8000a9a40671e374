import { afterEach, describe, expect, it } from "vitest";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ADMIN_KEY = "admin-key-for-tests-0123456789";

describe("POST /v1/connections", () => {
  it("creates a connection from this machine when no admin key is set: 201, Location, the key once", async () => {
    h = await startServiceHarness();
    const answer = await h.call("POST", "/v1/connections", { key: null, body: { access_token: h.em.token, base_url: h.em.baseUrl, name: "Mine" } });
    expect(answer.status).toBe(201);
    const body = answer.body as { connection: { id: string; name: string; region: string; base_url: string; created_at: string }; api_key: string };
    expect(body.connection).toEqual({ id: expect.any(String) as string, name: "Mine", region: "us", base_url: h.em.baseUrl, created_at: expect.stringMatching(/Z$/) as string });
    expect(body.api_key).toMatch(/^icc_/);
    expect(answer.headers.location).toBe(`http://localhost:80/v1/connections/${body.connection.id}`);
    expect(answer.text).not.toContain(h.em.token);
    // The key works, and the stored connection never shows the key or the token.
    const mine = await h.call("GET", `/v1/connections/${body.connection.id}`, { key: body.api_key });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(body.connection);
    expect(mine.text).not.toContain(body.api_key);
  });

  it("refuses remote or proxied callers when no admin key is set (403 admin_local_only)", async () => {
    h = await startServiceHarness();
    const body = { access_token: "tok" };
    const remote = await h.call("POST", "/v1/connections", { key: null, body, remoteAddress: "203.0.113.7" });
    expect(remote.status).toBe(403);
    expect(remote.body).toEqual({ error: { code: "admin_local_only", message: expect.any(String) as string } });
    const proxied = await h.call("POST", "/v1/connections", { key: null, body, headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(proxied.status).toBe(403);
    expect((await h.store.listConnections()).length).toBe(1);
  });

  it("requires the admin key in X-Admin-Key when one is set, from anywhere", async () => {
    h = await startServiceHarness({ adminKey: ADMIN_KEY });
    const body = { access_token: "tok", region: "eu" };
    for (const headers of [{}, { "x-admin-key": "wrong" }, { "x-admin-key": `${ADMIN_KEY}x` }]) {
      const refused = await h.call("POST", "/v1/connections", { key: null, body, headers });
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect((refused.body as { error: { code: string } }).error.code).toBe("admin_unauthorized");
    }
    // A connection's API key is not an admin key.
    const withApiKey = await h.call("POST", "/v1/connections", { body });
    expect(withApiKey.status).toBe(401);
    const remote = await h.call("POST", "/v1/connections", { key: null, body, headers: { "x-admin-key": ADMIN_KEY }, remoteAddress: "203.0.113.7" });
    expect(remote.status).toBe(201);
    expect((remote.body as { connection: { region: string; name: string } }).connection).toMatchObject({ region: "eu", name: "api.eu.intercom.io" });
  });

  it("names the field at fault in an invalid body and creates nothing", async () => {
    h = await startServiceHarness();
    const cases: Array<[unknown, string]> = [
      [{}, "access_token"],
      [{ access_token: "has space" }, "access_token"],
      [{ access_token: "t", region: "mars" }, "region"],
      [{ access_token: "t", base_url: "ftp://x" }, "base_url"],
      [{ access_token: "t", extra: 1 }, "extra"],
      [[], "input"],
    ];
    for (const [body, field] of cases) {
      const answer = await h.call("POST", "/v1/connections", { key: null, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((answer.body as { error: { code: string; field: string } }).error, JSON.stringify(body)).toMatchObject({ code: "invalid_input", field });
    }
    expect((await h.store.listConnections()).length).toBe(1);
  });
});

describe("a connection's own endpoints", () => {
  it("lists only the caller's connection and gets it; another connection's id is 403", async () => {
    h = await startServiceHarness();
    const other = await h.newConnection();
    const list = await h.call("GET", "/v1/connections");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ value: [{ id: h.connection.id, name: "Test workspace", region: "us", base_url: h.em.baseUrl, created_at: h.connection.createdAt.toISOString() }] });
    expect((await h.call("GET", `/v1/connections/${h.connection.id}`)).status).toBe(200);
    const foreign = await h.call("GET", `/v1/connections/${other.connection.id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ error: { code: "forbidden", message: "This API key belongs to another connection" } });
    expect((await h.call("GET", "/v1/connections/no-such-id")).status).toBe(403);
  });

  it("tests the connection with one Intercom call, and reports a revoked token as intercom_unauthorized", async () => {
    h = await startServiceHarness();
    const before = await h.intercomCalls();
    const ok = await h.call("POST", `/v1/connections/${h.connection.id}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: h.connection.id, status: "ok", checked: "GET /tags" });
    expect(await h.intercomCalls()).toBe(before + 1);

    const bad = await h.store.createConnection({ name: "Bad", region: "us", baseUrl: h.em.baseUrl, accessToken: "revoked-token" });
    const failed = await h.call("POST", `/v1/connections/${bad.connection.id}/test`, { key: bad.apiKey });
    expect(failed.status).toBe(401);
    expect(failed.body).toEqual({ error: { code: "intercom_unauthorized", message: "Intercom rejected the connection's access token" } });
    expect(failed.text).not.toContain("revoked-token");
  });

  it("deletes the connection: 204, then its key no longer opens anything", async () => {
    h = await startServiceHarness();
    const other = await h.newConnection();
    expect((await h.call("DELETE", `/v1/connections/${other.connection.id}`)).status).toBe(403);
    const deleted = await h.call("DELETE", `/v1/connections/${h.connection.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(await h.store.getConnection(h.connection.id)).toBeNull();
    const after = await h.call("GET", "/v1/connections");
    expect(after.status).toBe(401);
    expect((after.body as { error: { code: string } }).error.code).toBe("unauthorized");
    expect((await h.call("GET", "/v1/connections", { key: other.apiKey })).status).toBe(200);
  });
});
