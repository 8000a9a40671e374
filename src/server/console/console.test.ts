import { afterEach, describe, expect, it } from "vitest";
import { startServiceHarness, type ServiceHarness } from "../testing/harness.js";

// The console's JSON endpoints without a browser: who may sign in, what each session sees, and
// that every change needs the session's CSRF token. (console.browser.test.ts drives the pages.)

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
}

type Inject = { status: number; body: unknown; headers: Record<string, unknown> };

async function call(method: "GET" | "POST" | "DELETE", url: string, options: { session?: Session; body?: unknown; headers?: Record<string, string>; remoteAddress?: string } = {}): Promise<Inject> {
  if (h === undefined) throw new Error("no service");
  const answer = await h.app.inject({
    method,
    url,
    headers: {
      ...(options.session === undefined ? {} : { cookie: options.session.cookie, "x-csrf-token": options.session.csrf }),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  });
  return { status: answer.statusCode, body: answer.body === "" ? null : (JSON.parse(answer.body) as unknown), headers: answer.headers };
}

async function signIn(body: Record<string, string>, options: { headers?: Record<string, string>; remoteAddress?: string } = {}): Promise<Session> {
  const answer = await call("POST", "/console/api/session", { body, ...options });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const setCookie = String(answer.headers["set-cookie"]);
  return { cookie: setCookie.split(";")[0] ?? "", csrf: (answer.body as { csrf_token: string }).csrf_token, setCookie };
}

const code = (answer: Inject): string | undefined => (answer.body as { error?: { code?: string } } | null)?.error?.code;

describe("console sign-in", () => {
  it("follows the connections API: this machine only without an admin key, no proxy header, no other origin", async () => {
    h = await startServiceHarness();
    expect(code(await call("POST", "/console/api/session", { body: {}, headers: { "x-forwarded-for": "203.0.113.9" } }))).toBe("admin_local_only");
    expect(code(await call("POST", "/console/api/session", { body: {}, remoteAddress: "203.0.113.9" }))).toBe("admin_local_only");
    expect(code(await call("POST", "/console/api/session", { body: {}, headers: { origin: "https://evil.example" } }))).toBe("csrf_refused");
    const session = await signIn({});
    expect(session.setCookie).toBe(`${session.cookie}; Path=/console; HttpOnly; SameSite=Strict`);
    expect((await call("GET", "/console/api/session", { session })).body).toMatchObject({ scope: "admin", connection_id: null });
  });

  it("takes the admin key when one is set, and marks the cookie Secure behind https", async () => {
    h = await startServiceHarness({ adminKey: "the-admin-key-0123456789", publicBaseUrl: "https://connector.example.com" });
    expect(code(await call("POST", "/console/api/session", { body: {} }))).toBe("admin_unauthorized");
    expect(code(await call("POST", "/console/api/session", { body: { admin_key: "wrong-admin-key-0123456789" } }))).toBe("admin_unauthorized");
    const session = await signIn({ admin_key: "the-admin-key-0123456789" }, { headers: { origin: "https://connector.example.com" } });
    expect(session.setCookie).toContain("; Secure");
  });

  it("signs a connection's API key in to that connection alone", async () => {
    h = await startServiceHarness();
    const other = await h.newConnection();
    expect(code(await call("POST", "/console/api/session", { body: { api_key: "icc_not-a-key-of-anyone" } }))).toBe("unauthorized");
    const session = await signIn({ api_key: h.apiKey });
    expect(((await call("GET", "/console/api/connections", { session })).body as { value: Array<{ id: string }> }).value.map((c) => c.id)).toEqual([h.connection.id]);
    for (const [method, path] of [
      ["GET", `/console/api/connections/${other.connection.id}/subscriptions`],
      ["GET", `/console/api/connections/${other.connection.id}/budget`],
      ["POST", `/console/api/connections/${other.connection.id}/test`],
      ["POST", `/console/api/connections/${other.connection.id}/rotate-key`],
      ["DELETE", `/console/api/connections/${other.connection.id}`],
      ["POST", `/console/api/connections/${other.connection.id}/actions/GetUser`],
    ] as const) {
      const answer = await call(method, path, { session, ...(method === "POST" ? { body: {} } : {}) });
      expect([answer.status, code(answer)], `${method} ${path}`).toEqual([403, "console_forbidden"]);
    }
    // Adding a connection is the operator's.
    expect(code(await call("POST", "/console/api/connections", { session, body: { access_token: "t" } }))).toBe("console_forbidden");
    expect(await h.store.findConnectionByApiKey(other.apiKey)).not.toBeNull();
  });
});

describe("console sessions", () => {
  it("refuse every change without the session's CSRF token, and answer 401 without a session", async () => {
    h = await startServiceHarness();
    const session = await signIn({});
    const before = await h.intercomCalls();
    const test = `/console/api/connections/${h.connection.id}/test`;
    expect(code(await call("POST", test, { session: { ...session, csrf: "forged" } }))).toBe("csrf_refused");
    expect(code(await call("POST", test, { session, headers: { "sec-fetch-site": "cross-site" } }))).toBe("csrf_refused");
    expect(code(await call("DELETE", "/console/api/session", { session: { ...session, csrf: "" } }))).toBe("csrf_refused");
    expect(code(await call("GET", "/console/api/connections"))).toBe("console_signed_out");
    expect(await h.intercomCalls()).toBe(before);
    expect((await call("POST", test, { session })).status).toBe(200);
    expect(await h.intercomCalls()).toBe(before + 1);
  });

  it("end when the connection's key is rotated (but the rotating session) or the connection deleted", async () => {
    h = await startServiceHarness();
    const first = await signIn({ api_key: h.apiKey });
    const second = await signIn({ api_key: h.apiKey });
    const rotated = await call("POST", `/console/api/connections/${h.connection.id}/rotate-key`, { session: first });
    const newKey = (rotated.body as { api_key: string }).api_key;
    expect(await h.store.findConnectionByApiKey(h.apiKey)).toBeNull();
    expect((await h.store.findConnectionByApiKey(newKey))?.id).toBe(h.connection.id);
    expect(code(await call("GET", "/console/api/connections", { session: second }))).toBe("console_signed_out");
    expect((await call("GET", "/console/api/connections", { session: first })).status).toBe(200);
    expect((await call("DELETE", `/console/api/connections/${h.connection.id}`, { session: first })).status).toBe(204);
    expect(code(await call("GET", "/console/api/connections", { session: first }))).toBe("console_signed_out");
  });

  it("pause, resume and delete a subscription, through the store's states", async () => {
    h = await startServiceHarness();
    const session = await signIn({});
    const subscribed = await h.runtime.subscribe(h.connection.id, "TrigNewLead");
    if (!subscribed.ok) throw subscribed.error;
    const base = `/console/api/connections/${h.connection.id}/subscriptions/${subscribed.value.id}`;
    expect((await call("POST", `${base}/pause`, { session })).body).toEqual({ id: subscribed.value.id, state: "stopped" });
    expect((await h.store.getSubscription(subscribed.value.id))?.state).toBe("stopped");
    const listed = (await call("GET", `/console/api/connections/${h.connection.id}/subscriptions`, { session })).body as { value: Array<{ kind: string; state: string }> };
    expect(listed.value).toMatchObject([{ kind: "library", state: "stopped" }]);
    expect((await call("POST", `${base}/resume`, { session })).body).toEqual({ id: subscribed.value.id, state: "active" });
    expect((await call("DELETE", base, { session })).status).toBe(204);
    expect(await h.store.getSubscription(subscribed.value.id)).toBeNull();
    expect(code(await call("POST", `${base}/pause`, { session }))).toBe("not_found");
  });

  it("checks an action's input before spending: invalid_input naming the field, no Intercom call, no budget", async () => {
    h = await startServiceHarness();
    const session = await signIn({});
    const before = await h.intercomCalls();
    const answer = await call("POST", `/console/api/connections/${h.connection.id}/actions/CreateLead`, { session, body: { input: { email: "nope" } } });
    expect([answer.status, code(answer), (answer.body as { error: { field?: string } }).error.field]).toEqual([400, "invalid_input", "email"]);
    const unknown = await call("POST", `/console/api/connections/${h.connection.id}/actions/NoSuchAction`, { session, body: { input: {} } });
    expect([unknown.status, code(unknown)]).toEqual([400, "invalid_input"]);
    expect(await h.intercomCalls()).toBe(before);
    const budget = (await call("GET", `/console/api/connections/${h.connection.id}/budget`, { session })).body as { minutes: Array<{ spent: number; refused: number }> };
    expect(budget.minutes).toHaveLength(60);
    expect(budget.minutes.reduce((n, m) => n + m.spent + m.refused, 0)).toBe(0);
  });

  it("lists the triggers a webhook may be subscribed to, saying which are push only", async () => {
    h = await startServiceHarness();
    const session = await signIn({});
    const listed = (await call("GET", "/console/api/actions", { session })).body as { triggers: string[]; push_only: string[] };
    expect(listed.push_only).toEqual(["TrigTagAddedToContact", "TrigLeadConverted"]);
    expect(listed.push_only.every((id) => listed.triggers.includes(id))).toBe(true);
  });
});
