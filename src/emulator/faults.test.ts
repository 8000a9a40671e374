import { IntercomError, IntercomTimeoutError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./testing/harness.js";
import { enterRateWindow, msLeftInWindow } from "./testing/rate-window.js";

/** Sends a fault request for the emulator's first workspace and checks it was queued. */
async function injectFault(em: TestEmulator, fault: { kind: string; count?: number; route?: string }): Promise<void> {
  const r = await em.control("POST", `/workspaces/${em.workspace.id}/faults`, fault);
  expect(r.status).toBe(201);
}

function rateHeaders(headers: Headers): { limit: number; remaining: number; reset: number } {
  const read = (name: string): number => {
    const value = headers.get(name);
    expect(value, name).toMatch(/^\d+$/);
    return Number(value);
  };
  return { limit: read("x-ratelimit-limit"), remaining: read("x-ratelimit-remaining"), reset: read("x-ratelimit-reset") };
}

describe("faults", () => {
  let em: TestEmulator;
  beforeEach(async () => {
    em = await startTestEmulator();
  });
  afterEach(async () => {
    await em.close();
  });

  it("answers the next N requests with 500, leaves data alone, then answers for real", async () => {
    await injectFault(em, { kind: "500", count: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await em.request("POST", "/contacts", { role: "lead", email: `f${i}@example.com` });
      expect(r.status).toBe(500);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code: "server_error" }] });
      expect(r.headers.get("x-request-id")).toBe((r.body as { request_id: string }).request_id);
    }
    expect(em.workspace.contacts.size).toBe(0);
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/faults`)).body).toEqual({ faults: [] });
    expect((await em.request("POST", "/contacts", { role: "lead", email: "ok@example.com" })).status).toBe(200);
    expect(em.workspace.contacts.size).toBe(1);
    // Faulted requests still count as calls.
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body).toEqual({ total: 3, calls: { "POST /contacts": 3 } });
  });

  it("answers 503 and 429 as Intercom does; the SDK without retries surfaces the status", async () => {
    await injectFault(em, { kind: "503" });
    await injectFault(em, { kind: "429" });
    const sdk = em.sdk({ maxRetries: 0 });
    const unavailable = await sdk.contacts.list().catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(IntercomError);
    expect(unavailable).toMatchObject({ statusCode: 503, body: { type: "error.list", errors: [{ code: "service_unavailable" }] } });
    const limited = await em.request("GET", "/contacts");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ errors: [{ code: "rate_limit_exceeded" }] });
    // An injected 429 looks like a real one: nothing left in this window.
    expect(rateHeaders(limited.headers).remaining).toBe(0);
    expect((await sdk.contacts.list()).data).toEqual([]);
  });

  it("applies a route-scoped fault only to that route, and only in its workspace", async () => {
    const lead = em.workspace.insertContact({ role: "lead", email: "scoped@example.com" });
    await injectFault(em, { kind: "503", count: 5, route: "GET /contacts/:contact_id" });
    await em.control("POST", "/workspaces", { token: "other", id: "other" });
    expect((await em.request("GET", "/contacts")).status).toBe(200);
    expect((await em.request("POST", "/contacts", { role: "lead" })).status).toBe(200);
    expect((await em.request("GET", `/contacts/${lead.id}`)).status).toBe(503);
    const other = await fetch(`${em.baseUrl}/contacts/${lead.id}`, { headers: { Authorization: "Bearer other" } });
    expect(other.status).toBe(404);
    await other.arrayBuffer();
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/faults`)).body).toEqual({
      faults: [{ kind: "503", remaining: 4, route: "GET /contacts/:contact_id" }],
    });
    expect((await em.control("DELETE", `/workspaces/${em.workspace.id}/faults`)).body).toEqual({ faults: [] });
    expect((await em.request("GET", `/contacts/${lead.id}`)).status).toBe(200);
  });

  it("hangs a request until the client gives up", async () => {
    await injectFault(em, { kind: "hang" });
    const sdk = em.sdk({ timeoutInSeconds: 1, maxRetries: 0 });
    const started = performance.now();
    const error = await sdk.contacts.list().catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    // The SDK raises IntercomTimeoutError, or on Node's fetch (which rejects with the abort reason)
    // an IntercomError saying "timeout"; either way no status came back.
    expect(error instanceof IntercomTimeoutError || error instanceof IntercomError).toBe(true);
    expect((error as Error).message).toMatch(/timeout/i);
    expect((error as { statusCode?: number }).statusCode).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5_000);
    expect((await sdk.contacts.list()).data).toEqual([]);
  });

  it("resets the connection: the client's request fails without an answer", async () => {
    await injectFault(em, { kind: "reset" });
    await expect(fetch(`${em.baseUrl}/contacts`, { headers: { Authorization: `Bearer ${em.token}` } })).rejects.toThrow(TypeError);
    expect((await em.request("GET", "/contacts")).status).toBe(200);
  });

  it("puts X-RateLimit-Limit, -Remaining and -Reset on every authenticated answer, errors included", async () => {
    const answers = [
      await em.request("GET", "/contacts"),
      await em.request("GET", "/contacts/nope"),
      await em.request("POST", "/contacts", { email: 42 }),
      await em.request("GET", "/contacts", undefined, { "Intercom-Version": "0.1" }),
    ];
    for (const kind of ["500", "503", "429"]) {
      await injectFault(em, { kind });
      answers.push(await em.request("GET", "/contacts"));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 404, 400, 400, 500, 503, 429]);
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const a of answers) {
      const h = rateHeaders(a.headers);
      // The default workspace allows 10,000 a minute: 1,666 per 10-second window.
      expect(h.limit).toBe(1_666);
      expect(h.remaining).toBeLessThanOrEqual(h.limit);
      expect(h.reset).toBeGreaterThan(nowSeconds - 10);
      expect(h.reset).toBeLessThanOrEqual(nowSeconds + 10);
      expect(h.reset % 10).toBe(0);
    }
  });
});

// These wait for a real rate-limit window to end (the SDK waits for X-RateLimit-Reset even after a
// 503), so they run side by side, each on its own emulator, sharing the wait.
describe.concurrent("retrying clients against real rate-limit windows", () => {
  it("the SDK (maxRetries 2) recovers from an injected 503 by retrying", async ({ onTestFinished }) => {
    const em = await startTestEmulator();
    onTestFinished(() => em.close());
    await enterRateWindow({ minLeftMs: 1_000, maxLeftMs: 4_000 });
    await injectFault(em, { kind: "503" });
    const page = await em.sdk({ maxRetries: 2 }).contacts.list();
    expect(page.data).toEqual([]);
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body).toEqual({ total: 2, calls: { "GET /contacts": 2 } });
  });

  it("the SDK (maxRetries 2) gets through an injected 429 after waiting for X-RateLimit-Reset", async ({ onTestFinished }) => {
    const em = await startTestEmulator();
    onTestFinished(() => em.close());
    await enterRateWindow({ minLeftMs: 1_000, maxLeftMs: 4_000 });
    await injectFault(em, { kind: "429" });
    const startedAt = Date.now();
    const windowEnd = startedAt + msLeftInWindow(startedAt);
    const created = await em.sdk({ maxRetries: 2 }).contacts.create({ role: "lead", email: "patient@example.com" });
    expect(Date.now()).toBeGreaterThanOrEqual(windowEnd);
    expect(created.email).toBe("patient@example.com");
    expect(em.workspace.contacts.size).toBe(1);
  });

  it("limits a workspace to a sixth of its per-minute rate per 10-second window; the SDK waits for the reset", async ({ onTestFinished }) => {
    const em = await startTestEmulator({ workspaces: [{ token: "limited", timezone: "UTC", rateLimitPerMinute: 60 }] });
    onTestFinished(() => em.close());
    await enterRateWindow({ minLeftMs: 1_500, maxLeftMs: 4_000 });
    const startedAt = Date.now();
    const windowEnd = startedAt + msLeftInWindow(startedAt);
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await em.request("GET", "/contacts"));
    expect(answers.map((a) => a.status)).toEqual([...Array<number>(10).fill(200), 429]);
    expect(answers.map((a) => rateHeaders(a.headers).remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]);
    for (const a of answers) expect(rateHeaders(a.headers)).toMatchObject({ limit: 10, reset: windowEnd / 1000 });
    expect(answers[10]?.body).toMatchObject({ type: "error.list", errors: [{ code: "rate_limit_exceeded" }] });

    // Another workspace has its own window.
    await em.control("POST", "/workspaces", { token: "unlimited" });
    const other = await fetch(`${em.baseUrl}/contacts`, { headers: { Authorization: "Bearer unlimited" } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    const page = await em.sdk({ maxRetries: 1 }).contacts.list();
    expect(Date.now()).toBeGreaterThanOrEqual(windowEnd);
    expect(page.data).toEqual([]);
    const after = await em.request("GET", "/contacts");
    expect(after.status).toBe(200);
    expect(rateHeaders(after.headers)).toMatchObject({ limit: 10, remaining: 8, reset: windowEnd / 1000 + 10 });
  });
});
