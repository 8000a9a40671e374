import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
});
afterEach(async () => {
  await em.close();
});

interface WorkspaceView {
  id: string;
  name: string;
  token: string;
  timezone: string;
  client_secret: string;
  rate_limit: number;
  search_delay: number;
  now: number;
  clock_frozen: boolean;
  counts: { contacts: number; companies: number; tags: number; conversations: number };
}
interface ClockView {
  now: number;
  now_ms: number;
  frozen: boolean;
}

/** Intercom HTTP with a given workspace token (the harness's `request` uses the first workspace's). */
async function asToken(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(em.baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Intercom-Version": "2.14", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function workspaceView(id: string): Promise<WorkspaceView> {
  const r = await em.control("GET", `/workspaces/${id}`);
  expect(r.status).toBe(200);
  return r.body as WorkspaceView;
}

describe("control API: workspaces", () => {
  it("creates several workspaces at once, each with its own token, time zone, secret and rate limit", async () => {
    const specs = [
      { token: "tok-paris", id: "paris", name: "Paris", timezone: "Europe/Paris", client_secret: "secret-p", rate_limit: 600, search_delay: 2 },
      { token: "tok-ny", id: "new-york", timezone: "America/New_York", client_secret: "secret-ny", rate_limit: 120 },
      { token: "tok-tokyo", timezone: "Asia/Tokyo" },
    ];
    const created = await Promise.all(specs.map((spec) => em.control("POST", "/workspaces", spec)));
    expect(created.map((r) => r.status)).toEqual([201, 201, 201]);
    const [paris, ny, tokyo] = created.map((r) => r.body as WorkspaceView);
    expect(paris).toMatchObject({ id: "paris", name: "Paris", token: "tok-paris", timezone: "Europe/Paris", client_secret: "secret-p", rate_limit: 600, search_delay: 2, counts: { contacts: 0 } });
    expect(ny).toMatchObject({ id: "new-york", timezone: "America/New_York", client_secret: "secret-ny", rate_limit: 120, search_delay: 0 });
    // Defaults: a generated id and secret, Intercom's generous rate limit.
    expect(tokyo?.id).toMatch(/^[a-z0-9_-]+$/i);
    expect(tokyo?.client_secret).toMatch(/^[0-9a-f]{32}$/);
    expect(tokyo?.client_secret).not.toBe(em.workspace.clientSecret);
    expect(tokyo?.rate_limit).toBe(10_000);

    const list = (await em.control("GET", "/workspaces")).body as { workspaces: WorkspaceView[] };
    expect(list.workspaces.map((w) => w.token)).toEqual(["test-token", "tok-paris", "tok-ny", "tok-tokyo"]);

    // Each answers with its own rate limit (per 10-second window: a sixth of the minute's).
    const me = await fetch(`${em.baseUrl}/contacts`, { headers: { Authorization: "Bearer tok-ny" } });
    expect(me.headers.get("x-ratelimit-limit")).toBe("20");
    await me.arrayBuffer();
  });

  it("keeps each token's data apart", async () => {
    await em.control("POST", "/workspaces", { token: "tok-b", id: "b" });
    const a = (await em.request("POST", "/contacts", { role: "user", email: "same@example.com" })).body as { id: string; workspace_id: string };
    expect(a.workspace_id).toBe(em.workspace.id);
    // The same email is free in the other workspace: no clash across workspaces.
    const b = await asToken("tok-b", "POST", "/contacts", { role: "user", email: "same@example.com" });
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ workspace_id: "b" });
    expect((await asToken("tok-b", "GET", `/contacts/${a.id}`)).status).toBe(404);
    expect((await em.request("GET", `/contacts/${(b.body as { id: string }).id}`)).status).toBe(404);
    expect((await asToken("tok-b", "GET", "/contacts")).body).toMatchObject({ total_count: 1, data: [{ workspace_id: "b" }] });
    expect((await workspaceView("b")).counts.contacts).toBe(1);
    expect((await workspaceView(em.workspace.id)).counts.contacts).toBe(1);
  });

  it("refuses bad input with a 400 (or 404/409) and changes nothing", async () => {
    // A frozen clock: the answers compared below carry the workspace's `now`.
    const frozenAt = 1_796_000_000;
    expect((await em.control("POST", `/workspaces/${em.workspace.id}/clock`, { set: frozenAt, frozen: true })).status).toBe(200);
    const before = (await em.control("GET", "/workspaces")).body;
    const badCreates: unknown[] = [
      {},
      { token: "" },
      { token: "x", timezone: "Mars/Olympus_Mons" },
      { token: "x", rate_limit: 0 },
      { token: "x", rate_limit: 1.5 },
      { token: "x", search_delay: -1 },
      { token: "x", id: "has space" },
      { token: "x", surprise: true },
      { token: 42 },
    ];
    for (const body of badCreates) {
      const r = await em.control("POST", "/workspaces", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code: expect.stringMatching(/^parameter_(invalid|not_found)$/) as unknown }] });
    }
    expect((await em.control("POST", "/workspaces", { token: "test-token" })).status).toBe(409);
    expect((await em.control("POST", "/workspaces", { token: "fresh", id: em.workspace.id })).status).toBe(409);
    const notJson = await fetch(`${em.baseUrl}/_emulator/workspaces`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{oops" });
    expect(notJson.status).toBe(400);
    expect((await em.control("GET", "/workspaces")).body).toEqual(before);

    const id = em.workspace.id;
    const settings = await workspaceView(id);
    for (const body of [{ timezone: "Nowhere/Land", name: "Renamed" }, { rate_limit: -5 }, { search_delay: "5" }, { token: "new" }, { name: "" }]) {
      const r = await em.control("PATCH", `/workspaces/${id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ advance: "60" }, { set: -1 }, { set: 1.5 }, { frozen: "yes" }, { set: 1_700_000_000, advance: "x" }, { rewind: 5 }]) {
      const r = await em.control("POST", `/workspaces/${id}/clock`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ kind: "418" }, { kind: "500", count: 0 }, { kind: "500", route: "contacts" }, {}]) {
      const r = await em.control("POST", `/workspaces/${id}/faults`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ preset: "huge" }, { preset: "demo", contacts: -1 }, { contacts: 2_000_000 }]) {
      const r = await em.control("POST", `/workspaces/${id}/seed`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const after = await workspaceView(id);
    expect(after).toEqual(settings);
    expect(after).toMatchObject({ clock_frozen: true, now: frozenAt });
    expect((await em.control("GET", `/workspaces/${id}/faults`)).body).toEqual({ faults: [] });
    expect((await em.control("GET", "/workspaces/missing")).status).toBe(404);
    expect((await em.control("POST", "/workspaces/missing/clock", { advance: 1 })).status).toBe(404);
  });

  it("changes a workspace's settings with PATCH", async () => {
    const id = em.workspace.id;
    const r = await em.control("PATCH", `/workspaces/${id}`, { name: "Renamed", timezone: "Australia/Sydney", client_secret: "new-secret", rate_limit: 300, search_delay: 7 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "Renamed", timezone: "Australia/Sydney", client_secret: "new-secret", rate_limit: 300, search_delay: 7 });
    expect(em.workspace.timezone).toBe("Australia/Sydney");
    const answer = await em.request("GET", "/contacts");
    expect(answer.headers.get("x-ratelimit-limit")).toBe("50");
  });
});

describe("control API: clock", () => {
  it("sets, advances, freezes and unfreezes a workspace's clock, which stamps new records", async () => {
    const path = `/workspaces/${em.workspace.id}/clock`;
    const initial = (await em.control("GET", path)).body as ClockView;
    expect(initial.frozen).toBe(false);
    expect(Math.abs(initial.now - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(2);

    const frozen = (await em.control("POST", path, { set: 1_577_869_200, frozen: true })).body as ClockView;
    expect(frozen).toEqual({ now: 1_577_869_200, now_ms: 1_577_869_200_000, frozen: true });
    const created = (await em.request("POST", "/contacts", { role: "lead", email: "then@example.com" })).body as { created_at: number; id: string };
    expect(created.created_at).toBe(1_577_869_200);

    expect((await em.control("POST", path, { advance: 86_400 })).body).toEqual({ now: 1_577_955_600, now_ms: 1_577_955_600_000, frozen: true });
    expect((await em.control("POST", path, { advance: -3_600 })).body).toMatchObject({ now: 1_577_952_000 });
    const updated = (await em.request("PUT", `/contacts/${created.id}`, { name: "Later" })).body as { updated_at: number };
    expect(updated.updated_at).toBe(1_577_952_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(((await em.control("GET", path)).body as ClockView).now).toBe(1_577_952_000);

    // Unfrozen, it runs on from where it stood.
    const running = (await em.control("POST", path, { frozen: false })).body as ClockView;
    expect(running).toMatchObject({ frozen: false, now: 1_577_952_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = (await em.control("GET", path)).body as ClockView;
    expect(later.now - 1_577_952_000).toBeGreaterThanOrEqual(1);
    expect(later.now - 1_577_952_000).toBeLessThanOrEqual(3);

    // Setting without `frozen` keeps it running; `frozen: true` alone stops it where it is.
    expect((await em.control("POST", path, { set: 1_600_000_000 })).body).toMatchObject({ frozen: false });
    const stopped = (await em.control("POST", path, { frozen: true })).body as ClockView;
    expect(stopped.frozen).toBe(true);
    expect(stopped.now - 1_600_000_000).toBeLessThanOrEqual(1);
    // Other workspaces keep their own time.
    const other = (await em.control("POST", "/workspaces", { token: "t2" })).body as WorkspaceView;
    expect(Math.abs(other.now - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(2);
  });

  it("search sees a write only after the workspace's search delay, on the workspace clock", async () => {
    const id = em.workspace.id;
    await em.control("POST", `/workspaces/${id}/clock`, { set: 1_700_000_000, frozen: true });
    expect((await em.control("PATCH", `/workspaces/${id}`, { search_delay: 30 })).status).toBe(200);
    await em.request("POST", "/contacts", { role: "user", email: "slow@example.com" });
    const search = async (): Promise<number> => {
      const r = await em.request("POST", "/contacts/search", { query: { field: "email", operator: "=", value: "slow@example.com" } });
      expect(r.status).toBe(200);
      return (r.body as { total_count: number }).total_count;
    };
    expect(await search()).toBe(0);
    await em.control("POST", `/workspaces/${id}/clock`, { advance: 29 });
    expect(await search()).toBe(0);
    await em.control("POST", `/workspaces/${id}/clock`, { advance: 1 });
    expect(await search()).toBe(1);
    // With no delay, a write is searchable at once.
    await em.control("PATCH", `/workspaces/${id}`, { search_delay: 0 });
    await em.request("POST", "/contacts", { role: "user", email: "fast@example.com" });
    const fast = await em.request("POST", "/contacts/search", { query: { field: "email", operator: "=", value: "fast@example.com" } });
    expect(fast.body).toMatchObject({ total_count: 1 });
  });
});

describe("control API: call counts", () => {
  it("counts calls per workspace and route pattern, and resets them", async () => {
    const sdk = em.sdk();
    const a = await sdk.contacts.create({ role: "user", email: "count@example.com" });
    await sdk.contacts.find({ contact_id: a.id });
    await sdk.contacts.find({ contact_id: a.id });
    await em.request("GET", "/contacts/does-not-exist");
    await em.request("GET", "/contacts?per_page=2");
    await em.control("POST", "/workspaces", { token: "t2", id: "two" });
    await fetch(`${em.baseUrl}/contacts`, { headers: { Authorization: "Bearer t2" } }).then((r) => r.arrayBuffer());
    await fetch(`${em.baseUrl}/contacts`, { headers: { Authorization: "Bearer wrong" } }).then((r) => r.arrayBuffer());

    const calls = await em.control("GET", `/workspaces/${em.workspace.id}/calls`);
    expect(calls.body).toEqual({
      total: 5,
      calls: { "POST /contacts": 1, "GET /contacts/:contact_id": 3, "GET /contacts": 1 },
    });
    expect((await em.control("GET", "/workspaces/two/calls")).body).toEqual({ total: 1, calls: { "GET /contacts": 1 } });
    // Control API calls are not counted.
    expect(((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body as { total: number }).total).toBe(5);
    expect((await em.control("DELETE", `/workspaces/${em.workspace.id}/calls`)).body).toEqual({ total: 0, calls: {} });
    await em.request("GET", "/contacts");
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body).toEqual({ total: 1, calls: { "GET /contacts": 1 } });
    expect((await em.control("GET", "/workspaces/two/calls")).body).toMatchObject({ total: 1 });
  });
});
