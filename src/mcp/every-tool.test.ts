import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { OPERATIONS, operationIds, TOOL_METADATA, withoutNulls, type ActionId } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { CALL_SCENARIOS, makeFixture, type CallScenario } from "../operations/testing/call-scenarios.js";
import { Runtime } from "../runtime/index.js";
import { buildServer } from "../server/index.js";
import { CONNECTOR_ROUTES } from "../server/openapi/index.js";
import { openStore } from "../store/index.js";
import { agentTool } from "./tools.js";

// Every tool of the catalogue, called through the SDK's Client over Streamable HTTP against the
// emulator with the input of its call scenario (src/operations/testing/call-scenarios.ts): the
// result is the contract's output, path by path; a tool that reads answers what its HTTP action
// answers for the same input; and every trigger's tool starts from now.

interface Bed {
  c: ConnectedEmulator;
  client: Client;
  base: string;
  apiKey: string;
  /** The scenario's input, made from the fixture. */
  input: Record<string, unknown>;
  close(): Promise<void>;
}

/** A fresh emulator with the scenarios' fixture, the service on a real port, and an MCP session with every toolset. */
async function startBed(scenario?: CallScenario): Promise<Bed> {
  const c = await startConnectedEmulator();
  const fixture = await makeFixture(c);
  await scenario?.before?.(c, fixture);
  const store = await openStore(":memory:", { secretKey: randomBytes(32) });
  const runtime = new Runtime({ store, retention: false });
  const app = await buildServer({ runtime, logger: false });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  // With a client secret, as pushes need: the push-only triggers subscribe too.
  const { apiKey } = await store.createConnection({ name: "every tool", region: "us", baseUrl: c.em.baseUrl, accessToken: c.em.token, intercomClientSecret: "every-tool-secret" });
  const client = new Client({ name: "every-tool-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp?toolsets=all`), { requestInit: { headers: { "x-api-key": apiKey } } }));
  // Caches the outputSchemas: the Client checks each structuredContent against its tool's.
  await client.listTools();
  const input = (scenario?.input(fixture) ?? {}) as Record<string, unknown>;
  return {
    c,
    client,
    base,
    apiKey,
    input,
    async close() {
      await client.close();
      await app.close();
      await runtime.close();
      await store.close();
      await c.close();
    },
  };
}

/** The HTTP action's answer for the same input: its body, or for a list the first page's items. */
async function viaHttp(bed: Bed, id: ActionId, input: Record<string, unknown>): Promise<unknown> {
  const route = CONNECTOR_ROUTES.find((r) => r.operation === id && (r.kind === "action" || r.kind === "paged-action"));
  if (route === undefined) throw new Error(`no route for ${id}`);
  const query = route.method === "GET" ? `?${new URLSearchParams(input as Record<string, string>).toString()}` : "";
  const answer = await fetch(`${bed.base}${route.path}${query}`, {
    method: route.method,
    headers: { "x-api-key": bed.apiKey, ...(route.method === "POST" ? { "content-type": "application/json" } : {}) },
    ...(route.method === "POST" ? { body: JSON.stringify(input) } : {}),
  });
  const body = (await answer.json()) as { value?: unknown };
  if (answer.status !== 200) throw new Error(`${id} over HTTP answered ${answer.status} ${JSON.stringify(body).slice(0, 300)}`);
  return route.kind === "paged-action" ? body.value : body;
}

const ACTION_IDS = operationIds("action");

describe("every tool against the emulator", { timeout: 300_000 }, () => {
  it("has a call scenario for every action", () => {
    const missing = ACTION_IDS.filter((id) => !CALL_SCENARIOS.some((scenario) => scenario.id === id));
    expect(missing, "give these a scenario in src/operations/testing/call-scenarios.ts").toEqual([]);
  });

  it("answers each action's contract output as structuredContent and text, and a read what its HTTP action answers", async () => {
    const problems: string[] = [];
    for (const id of ACTION_IDS) {
      const scenario = CALL_SCENARIOS.find((s) => s.id === id);
      if (scenario === undefined) continue;
      const bed = await startBed(scenario);
      try {
        const tool = agentTool(id);
        const result = (await bed.client.callTool({ name: id, arguments: bed.input })) as CallToolResult;
        const [first] = result.content;
        const text = first?.type === "text" ? (JSON.parse(first.text) as Record<string, unknown>) : undefined;
        if (result.isError === true || text === undefined) {
          problems.push(`${id}: ${JSON.stringify(result.content).slice(0, 300)}`);
          continue;
        }
        // The text is the contract's output (a list's page: its items), every path typed as the contract says.
        const value = tool.kind === "paged" ? text.items : text;
        const parsed = OPERATIONS[id].output.safeParse(value);
        if (!parsed.success) problems.push(`${id}: not the contract's output: ${parsed.error.message.slice(0, 300)}`);
        // structuredContent is the same, without the nulls the tool's schema leaves out.
        expect(result.structuredContent, id).toEqual(withoutNulls(tool.outputSchema, text));
        // A read answers what the HTTP action answers for the same input, path by path.
        if (TOOL_METADATA[id].hints.readOnlyHint) expect(value, id).toEqual(await viaHttp(bed, id, bed.input));
      } finally {
        await bed.close();
      }
    }
    expect(problems).toEqual([]);
  });

  it("starts every trigger's tool from now, with a cursor the next look takes", async () => {
    const bed = await startBed();
    try {
      for (const id of operationIds("trigger")) {
        const first = (await bed.client.callTool({ name: id, arguments: {} })) as CallToolResult;
        expect(first.isError, id).not.toBe(true);
        expect(first.structuredContent, id).toMatchObject({ events: [], retry_after_seconds: 120 });
        const cursor = (first.structuredContent as { cursor: string }).cursor;
        const next = (await bed.client.callTool({ name: id, arguments: { cursor } })) as CallToolResult;
        expect(next.structuredContent, id).toMatchObject({ events: [], cursor });
      }
    } finally {
      await bed.close();
    }
  });
});
