import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_TOOL_AREAS, TOOL_AREAS, toolIdsOf } from "../contract/index.js";
import { agentSchemaProblems } from "../mcp/testing/schema-checks.js";
import { startServiceHarness, type ServiceHarness, type ServiceHarnessOptions } from "./testing/harness.js";

// The MCP server on `serve`: the SDK's own Client over Streamable HTTP, on a real port, against
// the emulator. Every tool call is the HTTP action's: the same answers, errors and budget.

let h: ServiceHarness | undefined;
let base = "";
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await h?.close();
  h = undefined;
});

async function start(options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
  h = await startServiceHarness(options);
  base = await h.app.listen({ port: 0, host: "127.0.0.1" });
  return h;
}

async function connect(apiKey: string, query = ""): Promise<Client> {
  const client = new Client({ name: "mcp-route-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp${query}`), { requestInit: { headers: { "x-api-key": apiKey } } }));
  clients.push(client);
  // Listing caches each tool's outputSchema: from then on the Client checks every structuredContent against it.
  await client.listTools();
  return client;
}

/** What a tool answered: its structured result, or its error body. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ ok: true; value: Record<string, unknown>; text: unknown } | { ok: false; error: { code: string; field?: string; retry_after?: number; message: string } }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const [first] = result.content;
  const text = first?.type === "text" ? (JSON.parse(first.text) as unknown) : undefined;
  if (result.isError === true) return { ok: false, error: (text as { error: { code: string; message: string } }).error };
  return { ok: true, value: result.structuredContent ?? {}, text };
}

async function viaHttp(apiKey: string, method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${base}${path}`, {
    method,
    headers: { "x-api-key": apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: answer.status, body: (await answer.json()) };
}

describe("POST /mcp (Streamable HTTP)", { timeout: 60_000 }, () => {
  it("lists the default toolsets under 30 tools, every toolset with ?toolsets=all, each schema agent-safe with its hints", async () => {
    const { apiKey } = await start();
    const byDefault = await (await connect(apiKey)).listTools();
    expect(byDefault.tools.map((tool) => tool.name)).toEqual(toolIdsOf(DEFAULT_TOOL_AREAS));
    expect(byDefault.tools.length).toBeLessThan(30);
    const all = await (await connect(apiKey, "?toolsets=all")).listTools();
    expect(all.tools.map((tool) => tool.name)).toEqual(toolIdsOf(TOOL_AREAS));
    for (const tool of all.tools) {
      expect(agentSchemaProblems(tool.inputSchema), `${tool.name} input`).toEqual([]);
      expect(agentSchemaProblems(tool.outputSchema), `${tool.name} output`).toEqual([]);
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(40);
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe("boolean");
      expect(typeof tool.annotations?.destructiveHint, tool.name).toBe("boolean");
      expect(typeof tool.annotations?.idempotentHint, tool.name).toBe("boolean");
    }
    const deleteContact = all.tools.find((tool) => tool.name === "DeleteContact");
    expect(deleteContact?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(all.tools.find((tool) => tool.name === "GetLead")?.inputSchema).toMatchObject({ type: "object", required: ["contact_id"] });
  });

  it("answers the HTTP action's result, path by path, as structuredContent and as the same JSON text", async () => {
    const { apiKey } = await start();
    const client = await connect(apiKey, "?toolsets=all");
    const created = await call(client, "CreateLead", { email: "ada@example.com", name: "Ada" });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id as string;
    expect(created.value.email).toBe("ada@example.com");
    expect(created.value.name).toBe("Ada");
    // Intercom has it as the tool said.
    const stored = h!.em.workspace.contacts.get(id);
    expect(stored?.email).toBe("ada@example.com");
    expect(stored?.role).toBe("lead");

    const http = await viaHttp(apiKey, "POST", "/v1/actions/GetLead", { contact_id: id });
    expect(http.status).toBe(200);
    const got = await call(client, "GetLead", { contact_id: id });
    if (!got.ok) throw new Error(got.error.message);
    // The text is the HTTP answer itself; structuredContent is it without the nulls.
    expect(got.text).toEqual(http.body);
    const answer = http.body as Record<string, unknown>;
    for (const [key, value] of Object.entries(answer)) {
      if (value === null) expect(got.value, key).not.toHaveProperty(key);
      else expect(got.value[key], key).toEqual(JSON.parse(JSON.stringify(value), (_k, v: unknown) => (v === null ? undefined : v)));
    }
    expect(got.value.phone).toBeUndefined();
    expect(answer.phone).toBeNull();

    const found = await call(client, "FindContactByEmail", { email: "ada@example.com" });
    expect(found).toMatchObject({ ok: true, value: { id, role: "lead", email: "ada@example.com" } });
    const tag = await call(client, "CreateTag", { name: "VIP" });
    if (!tag.ok) throw new Error(tag.error.message);
    expect(await call(client, "TagContact", { contact_id: id, tag_id: tag.value.id })).toMatchObject({ ok: true, value: { id: tag.value.id, name: "VIP" } });
    const company = await call(client, "CreateOrUpdateCompany", { company_id: "acme-1", name: "Acme" });
    expect(company).toMatchObject({ ok: true, value: { company_id: "acme-1", name: "Acme" } });
    const raw = await call(client, "SendRequest", { method: "GET", path: `/contacts/${id}` });
    expect(raw).toMatchObject({ ok: true, value: { status: 200, body: { id, email: "ada@example.com" } } });
  });

  it("pages a list: one page per call, next_cursor given back alone, as the HTTP pages", async () => {
    const { apiKey } = await start();
    for (let i = 0; i < 151; i += 1) h!.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com` });
    const client = await connect(apiKey);
    const first = await call(client, "ListLeads", {});
    if (!first.ok) throw new Error(first.error.message);
    const items = first.value.items as Array<{ email: string }>;
    expect(items).toHaveLength(150);
    expect(typeof first.value.next_cursor).toBe("string");
    const http = await viaHttp(apiKey, "GET", "/v1/actions/ListLeads");
    expect((http.body as { value: unknown[] }).value).toEqual((first.text as { items: unknown[] }).items);
    const second = await call(client, "ListLeads", { cursor: first.value.next_cursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.items).toHaveLength(1);
    expect(second.value).not.toHaveProperty("next_cursor");
    const emails = new Set([...items, ...(second.value.items as Array<{ email: string }>)].map((lead) => lead.email));
    expect(emails.size).toBe(151);
    expect(await call(client, "ListLeads", { cursor: "leads.forged" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "cursor" } });
  });

  it("answers bad input as a tool error naming the field, with no Intercom call and no budget spent", async () => {
    const { apiKey } = await start({ callsPerMinute: 2 });
    const client = await connect(apiKey, "?toolsets=all");
    const before = await h!.intercomCalls();
    for (let i = 0; i < 5; i += 1) {
      expect(await call(client, "CreateLead", { email: "not an email" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "email" } });
      expect(await call(client, "GetLead", {})).toMatchObject({ ok: false, error: { code: "invalid_input", field: "contact_id" } });
      expect(await call(client, "TrigNewLead", { cursor: "poll.forged.x" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "cursor" } });
      expect(await call(client, "TrigNewLead", { since: "yesterday" })).toMatchObject({ ok: false, error: { code: "invalid_input", field: "since" } });
    }
    expect(await h!.intercomCalls()).toBe(before);
    // The budget of 2 is whole: two calls pass, the third is refused.
    expect(await call(client, "ListTags", {})).toMatchObject({ ok: true });
    expect(await call(client, "ListTags", {})).toMatchObject({ ok: true });
    expect(await call(client, "ListTags", {})).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("answers a spent budget as a rate_limited tool error with the wait, sending nothing to Intercom", async () => {
    const { apiKey } = await start({ callsPerMinute: 1 });
    const client = await connect(apiKey);
    expect(await call(client, "FindContactByEmail", { email: "nobody@example.com" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    const calls = await h!.intercomCalls();
    const refused = await call(client, "FindContactByEmail", { email: "nobody@example.com" });
    expect(refused).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    if (refused.ok) throw new Error("not refused");
    expect(refused.error.retry_after).toBeGreaterThan(0);
    expect(refused.error.retry_after).toBeLessThanOrEqual(60);
    expect(await h!.intercomCalls()).toBe(calls);
    // Once the window has passed, the same call goes through.
    h!.clock.advance(61_000);
    expect(await call(client, "FindContactByEmail", { email: "nobody@example.com" })).toMatchObject({ ok: false, error: { code: "not_found", field: "email" } });
  });

  it("refuses a missing or wrong API key with 401 in the service's shape, and an unknown toolset with 400 naming toolsets", async () => {
    const { apiKey } = await start();
    const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    for (const key of [undefined, "icc_wrong", ""]) {
      const answer = await fetch(`${base}/mcp`, { method: "POST", headers: { ...headers, ...(key === undefined ? {} : { "x-api-key": key }) }, body: JSON.stringify(initialize) });
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      expect(answer.headers.get("mcp-session-id")).toBeNull();
    }
    const client = new Client({ name: "t", version: "1" });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { "x-api-key": "icc_wrong" } } }))).rejects.toThrow();
    const bogus = await fetch(`${base}/mcp?toolsets=contacts,chat`, { method: "POST", headers: { ...headers, "x-api-key": apiKey }, body: JSON.stringify(initialize) });
    expect(bogus.status).toBe(400);
    expect(((await bogus.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "invalid_input", field: "toolsets" });
  });

  it("filters by toolsets: only the areas asked for are listed or callable", async () => {
    const { apiKey } = await start();
    const client = await connect(apiKey, "?toolsets=companies,raw");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(toolIdsOf(["companies", "raw"]));
    expect(tools.map((tool) => tool.name)).toContain("SendRequest");
    const calls = await h!.intercomCalls();
    await expect(client.callTool({ name: "CreateLead", arguments: { email: "ada@example.com" } })).rejects.toThrow(/Unknown tool/);
    expect(await h!.intercomCalls()).toBe(calls);
  });

  it("keeps two sessions apart: another connection's session id is unknown to it, and its trigger cursor is forbidden", async () => {
    const { apiKey } = await start();
    const other = await h!.newConnection();
    const mine = await connect(apiKey);
    const theirs = await connect(other.apiKey);
    const myTransport = (mine as unknown as { transport: StreamableHTTPClientTransport }).transport;
    const theirTransport = (theirs as unknown as { transport: StreamableHTTPClientTransport }).transport;
    expect(myTransport.sessionId).toMatch(/\S/);
    expect(theirTransport.sessionId).not.toBe(myTransport.sessionId);
    // Their key with my session id: not found, as if it did not exist.
    const probe = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "x-api-key": other.apiKey, "mcp-session-id": myTransport.sessionId ?? "" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" }),
    });
    expect(probe.status).toBe(404);
    const started = await call(mine, "TrigNewLead", {});
    if (!started.ok) throw new Error(started.error.message);
    expect(await call(theirs, "TrigNewLead", { cursor: started.value.cursor })).toMatchObject({ ok: false, error: { code: "forbidden", field: "cursor" } });
    // Closing one session leaves the other working.
    await myTransport.terminateSession();
    expect((await theirs.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("gives each trigger a 'what is new since my last look' tool: exactly once per cursor, Intercom asked once per interval", async () => {
    const { apiKey } = await start({ pollIntervalSeconds: 120 });
    h!.em.workspace.insertContact({ role: "lead", email: "before@example.com" });
    const client = await connect(apiKey);
    const first = await call(client, "TrigNewLead", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value).toMatchObject({ events: [], retry_after_seconds: 120 });
    const cursor = first.value.cursor as string;
    const emails = ["new1@example.com", "new2@example.com"];
    for (const email of emails) await h!.createLeadInIntercom(email);
    const early = await call(client, "TrigNewLead", { cursor });
    expect(early).toMatchObject({ ok: true, value: { events: [], cursor } });
    h!.clock.advance(120_000);
    const found = await call(client, "TrigNewLead", { cursor });
    if (!found.ok) throw new Error(found.error.message);
    expect((found.value.events as Array<{ email: string }>).map((lead) => lead.email)).toEqual(emails);
    expect(found.value.cursor).not.toBe(cursor);
    // The same cursor again: the same events (the agent has not said it has them), no Intercom call.
    const calls = await h!.intercomCalls();
    const again = await call(client, "TrigNewLead", { cursor });
    expect(again).toMatchObject({ ok: true, value: { events: found.value.events, cursor: found.value.cursor } });
    expect(await h!.intercomCalls()).toBe(calls);
    // The newer cursor is the receipt: nothing is repeated.
    const after = await call(client, "TrigNewLead", { cursor: found.value.cursor });
    expect(after).toMatchObject({ ok: true, value: { events: [] } });
    // The Power Automate route shares the subscriptions' rules: the tool's events are its polling ones.
    expect((await h!.store.listSubscriptions({ connectionId: h!.connection.id })).map((s) => s.kind)).toEqual(["polling"]);
  });
});

describe("POST /mcp with malformed requests", { timeout: 60_000 }, () => {
  it("answers each without a 5xx and without opening a session", async () => {
    const { apiKey } = await start();
    const json = { "content-type": "application/json", accept: "application/json, text/event-stream", "x-api-key": apiKey };
    const probes: Array<{ method: string; headers: Record<string, string>; body?: string; query?: string }> = [
      { method: "POST", headers: json, body: "{not json" },
      { method: "POST", headers: json, body: "[]" },
      { method: "POST", headers: json, body: "null" },
      { method: "POST", headers: json, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) },
      { method: "POST", headers: { ...json, "content-type": "text/plain" }, body: "hello" },
      { method: "POST", headers: { ...json, accept: "text/html" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }) },
      { method: "POST", headers: { ...json, "mcp-session-id": "not-a-session" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) },
      { method: "GET", headers: json },
      { method: "DELETE", headers: json },
      { method: "GET", headers: { ...json, "mcp-session-id": "0b6c3f0e-8a4d-4c2e-9a57-1f2d3c4b5a69" } },
      { method: "POST", headers: json, body: "{}", query: `?toolsets=${"x".repeat(5000)}` },
      { method: "POST", headers: json, body: "{}", query: "?toolsets=contacts&toolsets=companies" },
    ];
    for (const probe of probes) {
      const answer = await fetch(`${base}/mcp${probe.query ?? ""}`, { method: probe.method, headers: probe.headers, ...(probe.body === undefined ? {} : { body: probe.body }) });
      const what = `${probe.method} ${probe.body ?? ""} ${JSON.stringify(probe.headers).slice(0, 80)}`;
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(answer.status, what).toBeLessThan(500);
      expect(answer.headers.get("mcp-session-id"), what).toBeNull();
      await answer.arrayBuffer();
    }
  });
});
