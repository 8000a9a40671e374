import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { openStore, type Store } from "../store/index.js";
import { Runtime, validateInput } from "./runtime.js";

let em: TestEmulator;
let store: Store;
let runtime: Runtime;
let connectionId: string;

beforeEach(async () => {
  em = await startTestEmulator();
  store = await openStore(":memory:", { secretKey: randomBytes(32) });
  runtime = new Runtime({ store, callsPerWindow: 3, intercomMaxRetries: 0, retention: false });
  const added = await runtime.addConnection({ access_token: em.token, base_url: em.baseUrl });
  if (!added.ok) throw added.error;
  connectionId = added.value.connection.id;
});

afterEach(async () => {
  await runtime.close();
  await store.close();
  await em.close();
});

async function intercomCalls(): Promise<number> {
  return ((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body as { total: number }).total;
}

describe("Runtime", () => {
  it("validates first: bad input is invalid_input naming the field, spends nothing and sends nothing", async () => {
    for (let i = 0; i < 10; i++) expect(await runtime.call(connectionId, "CreateLead", { email: "nope" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "email" } });
    expect(await runtime.call(connectionId, "Nope" as never, {})).toMatchObject({ ok: false, error: { code: "invalid_input", field: "operation" } });
    expect(await intercomCalls()).toBe(0);
    // The whole budget is still there.
    for (let i = 0; i < 3; i++) expect((await runtime.call(connectionId, "CreateLead", { email: `l${i}@example.com` })).ok).toBe(true);
    expect(await runtime.call(connectionId, "CreateLead", { email: "late@example.com" })).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) as number } });
    expect(await intercomCalls()).toBe(3);
  });

  it("runs a validated input as it is, and parses anything else", async () => {
    const lead = em.workspace.insertContact({ role: "lead", email: "v@example.com" });
    const input = validateInput("GetLead", { contact_id: lead.id });
    if (!input.ok) throw input.error;
    expect(await runtime.call(connectionId, "GetLead", input.value)).toMatchObject({ ok: true, value: { id: lead.id } });
    // Validated for another operation: parsed as what it is, an object GetUser does not take.
    expect(await runtime.call(connectionId, "GetUser", input.value)).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(validateInput("GetLead", { contact_id: 5 })).toMatchObject({ ok: false, error: { field: "contact_id" } });
  });

  it("answers not_found for a connection deleted between two calls, and forgets its transport", async () => {
    const lead = em.workspace.insertContact({ role: "lead", email: "d@example.com" });
    expect((await runtime.call(connectionId, "GetLead", { contact_id: lead.id })).ok).toBe(true);
    expect(await runtime.deleteConnection(connectionId)).toBe(true);
    expect(await runtime.call(connectionId, "GetLead", { contact_id: lead.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await runtime.subscribe(connectionId, "TrigNewLead")).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await runtime.intercomForPush(connectionId)).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("refuses an unknown trigger, and spends nothing for Intercom's pushes", async () => {
    expect(await runtime.subscribe(connectionId, "TrigNope")).toMatchObject({ ok: false, error: { code: "invalid_input", field: "triggerId" } });
    for (let i = 0; i < 5; i++) expect((await runtime.intercomForPush(connectionId)).ok).toBe(true);
    expect((await runtime.budget.spend(connectionId, 3)).allowed).toBe(true);
  });

  it("remembers a connection found by its API key for apiKeyCacheMs, and forgets it at once when deleted or rotated here", async () => {
    let now = 1_000_000;
    const cached = new Runtime({ store, retention: false, now: () => now, apiKeyCacheMs: 1_000 });
    const first = await store.createConnection({ name: "a", region: "us", accessToken: "tok-a" });
    expect(await cached.connectionByApiKey(first.apiKey)).toMatchObject({ id: first.connection.id });
    // Rotated by another process: this one trusts its answer for a second, no longer.
    await store.rotateApiKey(first.connection.id);
    expect(await cached.connectionByApiKey(first.apiKey)).toMatchObject({ id: first.connection.id });
    now += 1_001;
    expect(await cached.connectionByApiKey(first.apiKey)).toBeNull();

    const second = await store.createConnection({ name: "b", region: "us", accessToken: "tok-b" });
    expect(await cached.connectionByApiKey(second.apiKey)).not.toBeNull();
    const rotated = await cached.rotateApiKey(second.connection.id);
    expect(await cached.connectionByApiKey(second.apiKey)).toBeNull();
    expect(await cached.connectionByApiKey(rotated ?? "")).toMatchObject({ id: second.connection.id });
    expect(await cached.deleteConnection(second.connection.id)).toBe(true);
    expect(await cached.connectionByApiKey(rotated ?? "")).toBeNull();
    expect(await cached.connectionByApiKey("icc_unknown")).toBeNull();
  });
});

