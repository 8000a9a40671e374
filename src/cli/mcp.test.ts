import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TOOL_AREAS, toolIdsOf } from "../contract/index.js";
import { agentSchemaProblems } from "../mcp/testing/schema-checks.js";
import { CLI_TEST_TOKEN, startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";
import { cliCommand } from "./testing/cli-entry.js";

// `intercom-connector mcp` as an agent host starts it: a child process spoken to over stdio by the
// SDK's own Client, for the environment's connection (the emulator's), as `call` gets it.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let bed: CliTestBed;
const open: Array<{ client: Client; transport: StdioClientTransport; stderr: () => string }> = [];

beforeAll(async () => {
  bed = await startCliTestBed();
}, 60_000);
afterEach(async () => {
  for (const { client } of open.splice(0)) await client.close();
});
afterAll(() => bed.cleanup());

async function start(args: string[] = [], env: Record<string, string> = {}): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const [command, ...rest] = cliCommand(["mcp", "--state", bed.state, ...args]);
  const transport = new StdioClientTransport({
    command,
    args: rest,
    cwd: ROOT,
    env: { ...bed.env, ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "mcp-stdio-test", version: "1.0.0" });
  await client.connect(transport);
  // Listing caches each tool's outputSchema: the Client then checks every structuredContent against it.
  await client.listTools();
  const started = { client, transport, stderr: () => stderr };
  open.push(started);
  return started;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; structured: Record<string, unknown> | undefined; body: Record<string, unknown> }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const [first] = result.content;
  return { isError: result.isError === true, structured: result.structuredContent, body: first?.type === "text" ? (JSON.parse(first.text) as Record<string, unknown>) : {} };
}

describe("intercom-connector mcp (stdio)", { timeout: 120_000 }, () => {
  it("lists the default toolsets' tools with agent-safe schemas, and --toolsets picks areas", async () => {
    const { client } = await start();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(toolIdsOf(DEFAULT_TOOL_AREAS));
    expect(tools.length).toBeLessThan(30);
    for (const tool of tools) {
      expect(agentSchemaProblems(tool.inputSchema), tool.name).toEqual([]);
      expect(agentSchemaProblems(tool.outputSchema), tool.name).toEqual([]);
    }
    const picked = await start(["--toolsets", "tags,workspace"]);
    expect((await picked.client.listTools()).tools.map((tool) => tool.name)).toEqual(toolIdsOf(["tags", "workspace"]));
  });

  it("answers what `call` answers, with the same JSON, and Intercom has what the tool said", async () => {
    const { client, stderr } = await start();
    const created = await call(client, "CreateLead", { email: "stdio@example.com", name: "Grace" });
    expect(created.isError).toBe(false);
    const id = created.structured?.id as string;
    expect(bed.em.workspace.contacts.get(id)).toMatchObject({ role: "lead", email: "stdio@example.com", name: "Grace" });
    const got = await call(client, "GetLead", { contact_id: id });
    const viaCall = await bed.run(["call", "GetLead", "--input", JSON.stringify({ contact_id: id }), "--state", bed.state]);
    expect(viaCall.code).toBe(0);
    expect(got.body).toEqual(JSON.parse(viaCall.stdout));
    expect(got.structured).toMatchObject({ id, email: "stdio@example.com", name: "Grace" });
    expect(got.structured).not.toHaveProperty("phone");
    expect(got.body.phone).toBeNull();
    const page = await call(client, "ListLeads", {});
    expect((page.structured?.items as Array<{ id: string }>).map((lead) => lead.id)).toContain(id);
    // The token never shows, not even on stderr.
    expect(stderr()).not.toContain(CLI_TEST_TOKEN);
  });

  it("answers bad input as a tool error naming the field, with no Intercom call", async () => {
    const { client } = await start();
    const before = await bed.callCount();
    const bad = await call(client, "CreateLead", { email: "not an email" });
    expect(bad.isError).toBe(true);
    expect(bad.structured).toBeUndefined();
    expect(bad.body).toMatchObject({ error: { code: "invalid_input", field: "email", status: 400 } });
    expect(await call(client, "UpdateContact", { contact_id: "6762f0a51bb69f9f2193bb5c", owner_id: "me" })).toMatchObject({ isError: true, body: { error: { code: "invalid_input", field: "owner_id" } } });
    expect(await bed.callCount()).toBe(before);
  });

  it("answers a spent budget as rate_limited with the wait, sending nothing", async () => {
    // A store of its own (--database-url wins over --state), so the budget is this test's alone.
    const { client } = await start(["--database-url", `${bed.dir}/budget.db`], { CONNECTION_CALLS_PER_MINUTE: "1" });
    expect(await call(client, "ListLeads", {})).toMatchObject({ isError: false });
    const calls = await bed.callCount();
    const refused = await call(client, "ListLeads", {});
    expect(refused).toMatchObject({ isError: true, body: { error: { code: "rate_limited", status: 429 } } });
    const wait = (refused.body.error as { retry_after: number }).retry_after;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await bed.callCount()).toBe(calls);
  });

  it("refuses an unknown toolset as a usage error (exit 2, one line), and a missing token likewise", async () => {
    const bogus = await bed.run(["mcp", "--toolsets", "contacts,chat", "--state", bed.state]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/toolsets/);
    expect(bogus.stderr.trim().split("\n")).toHaveLength(1);
    expect(bogus.stdout).toBe("");
    const noToken = await bed.run(["mcp", "--state", bed.state], { INTERCOM_ACCESS_TOKEN: "" });
    expect(noToken.code).toBe(2);
  });

  it("ends cleanly when its stdin closes", async () => {
    const cli = bed.cli(["mcp", "--state", bed.state]);
    // spawnCli gives no stdin: it is closed from the start, so the server ends at once.
    const { code } = await cli.exited;
    expect(code).toBe(0);
    expect(cli.stdout()).toBe("");
  });
});
