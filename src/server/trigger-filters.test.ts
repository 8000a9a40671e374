import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { ticketsOf } from "../emulator/ticket-store.js";
import { buildSwagger } from "./openapi/index.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";
import { startWebhookFixture, type WebhookFixture } from "./webhooks/testing/fixture.js";

// The ticket type filter on the service's two trigger faces: the webhook subscription's body and
// the Power Automate polling route's query; bad values are 400s naming the field, costing nothing.

let h: ServiceHarness | undefined;
let w: WebhookFixture | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await h?.close();
  await w?.close();
  h = undefined;
  w = undefined;
});

type JsonObject = Record<string, unknown>;

describe("trigger filters over HTTP", () => {
  it("describes each filter as a polling query parameter with its label and picker, and in the webhook body", () => {
    const swagger = buildSwagger() as { paths: Record<string, Record<string, { parameters: JsonObject[] }>>; definitions?: Record<string, JsonObject> };
    const polling = swagger.paths["/v1/triggers/TrigNewTicket/poll"]?.get?.parameters ?? [];
    expect(polling.find((p) => p.name === "ticket_type_id")).toMatchObject({
      in: "query",
      required: false,
      type: "string",
      "x-ms-summary": "Ticket Type",
      "x-ms-dynamic-values": { operationId: "ListPickerValues", parameters: { picker: { value: "ticket_types" } } },
    });
    expect((swagger.paths["/v1/triggers/TrigNewLead/poll"]?.get?.parameters ?? []).map((p) => p.name)).toEqual(["state"]);
    const body = JSON.stringify(swagger.paths["/v1/triggers/TrigNewTicket/subscriptions"]?.post?.parameters ?? []);
    expect(body).toContain("filters");
    expect(JSON.stringify(swagger)).toContain('"picker":{"value":"ticket_types"}');
  });

  it("Power Automate: the first poll's ticket_type_id makes a filtered subscription; a bad one is a 400 naming it, nothing stored or spent", async () => {
    h = await startServiceHarness({ pollIntervalSeconds: 1 });
    const bug = ticketsOf(h.em.workspace).createType({ name: "Bug" });
    const before = await h.intercomCalls();
    for (const query of ["ticket_type_id=a%2Fb", "ticket_type_id=1&ticket_type_id=2", "team_id=1"]) {
      const refused = await h.call("GET", `/v1/triggers/TrigNewTicket/poll?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body, query).toMatchObject({ error: { code: "invalid_input", field: query.startsWith("team") ? "team_id" : "ticket_type_id" } });
    }
    expect(await h.store.listSubscriptions()).toEqual([]);
    expect(await h.intercomCalls()).toBe(before);
    const started = await h.call("GET", `/v1/triggers/TrigNewTicket/poll?ticket_type_id=${bug.id}`);
    expect(started.status).toBe(202);
    expect((await h.store.listSubscriptions()).map((s) => s.filters)).toEqual([{ ticket_type_id: bug.id }]);
    // A trigger without filters takes none.
    expect((await h.call("GET", "/v1/triggers/TrigNewLead/poll?ticket_type_id=1")).status).toBe(400);
  });

  it("webhooks: filters in the subscription body are kept; a bad one is a 400 naming filters.<name>, nothing stored", async () => {
    w = await startWebhookFixture();
    const bug = ticketsOf(w.em.workspace).createType({ name: "Bug" });
    const path = "/v1/triggers/TrigNewTicket/subscriptions";
    const callback_url = "https://example.com/hook";
    const refused = await w.api("POST", path, { body: { callback_url, filters: { ticket_type_id: "../x" } } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "invalid_input", field: "filters.ticket_type_id" } });
    expect((await w.api("POST", path, { body: { callback_url, filters: { team_id: "1" } } })).status).toBe(400);
    expect((await w.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url, filters: { ticket_type_id: bug.id } } })).status).toBe(400);
    expect(await w.store.listSubscriptions()).toEqual([]);
    const created = await w.api("POST", path, { body: { callback_url, filters: { ticket_type_id: bug.id } } });
    expect(created.status).toBe(201);
    expect((await w.store.listSubscriptions()).map((s) => s.filters)).toEqual([{ ticket_type_id: bug.id }]);
  });

  it("MCP: a trigger tool takes its filters on the first look (in its input schema); a bad one is an error naming it, nothing stored", async () => {
    h = await startServiceHarness({ pollIntervalSeconds: 1 });
    const bug = ticketsOf(h.em.workspace).createType({ name: "Bug" });
    const base = await h.app.listen({ port: 0, host: "127.0.0.1" });
    client = new Client({ name: "trigger-filters-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp?toolsets=tickets`), { requestInit: { headers: { "x-api-key": h.apiKey } } }));
    const tool = (await client.listTools()).tools.find((t) => t.name === "TrigNewTicket");
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(["cursor", "ticket_type_id"]);
    const refused = (await client.callTool({ name: "TrigNewTicket", arguments: { ticket_type_id: "a/b" } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    const [first] = refused.content;
    expect(first?.type === "text" ? (JSON.parse(first.text) as unknown) : undefined).toMatchObject({ error: { code: "invalid_input", field: "ticket_type_id" } });
    expect(await h.store.listSubscriptions()).toEqual([]);
    const looked = (await client.callTool({ name: "TrigNewTicket", arguments: { ticket_type_id: bug.id } })) as CallToolResult;
    expect(looked.isError).not.toBe(true);
    expect((await h.store.listSubscriptions()).map((s) => s.filters)).toEqual([{ ticket_type_id: bug.id }]);
  });
});
