import { readFileSync } from "node:fs";
// The low-level Server: tool schemas here are the contract's own agent-safe JSON Schema, and the
// runtime validates every input; McpServer would convert and validate with zod itself instead
// (the SDK marks Server as meant for such advanced uses).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { connectorError, err, ok, parseInput, TriggerInput, withoutNulls, type ActionId, type ConnectorError, type Result, type ToolArea, type TriggerId } from "../contract/index.js";
import { TRIGGERS } from "../triggers/index.js";
import type { Runtime, TriggerPolls } from "../runtime/index.js";
import { agentTools, CURSOR_ARGUMENT, EVENTS_PROPERTY, ITEMS_PROPERTY, NEXT_CURSOR_PROPERTY, RETRY_AFTER_PROPERTY, type AgentTool } from "./tools.js";

/**
 * What one MCP session is built from: the one runtime, the connection every tool call is made
 * for, the areas whose tools it offers, and the runtime's trigger polls (shared by the sessions
 * of a process).
 *
 * @example
 * const options: McpSessionOptions = { runtime, connectionId, toolsets: ["contacts"], polls: new TriggerPolls(runtime) };
 */
export interface McpSessionOptions {
  runtime: Runtime;
  connectionId: string;
  toolsets: readonly ToolArea[];
  polls: TriggerPolls;
}

function packageVersion(): string {
  // src/mcp and dist/mcp are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

const SERVER_INFO = { name: "intercom-connector", title: "Intercom connector", version: packageVersion() };
const INSTRUCTIONS =
  "Tools for one Intercom workspace. Errors come back as tool results with isError and a JSON body {error: {code, message, field?, retry_after?}}: invalid_input names the field to fix; rate_limited says how many seconds to wait. Lists answer one page per call: pass next_cursor back as cursor. Trig* tools answer what is new since your last look: keep the cursor they give you.";

function toolOf(tool: AgentTool): Tool {
  return { name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations };
}

/** A success: the JSON the HTTP action answers as text, and the same without the nulls its schema leaves out as `structuredContent`. */
function answered(tool: AgentTool, value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: withoutNulls(tool.outputSchema, value) as Record<string, unknown> };
}

/**
 * A failure as a tool result an agent can read and act on: the service's error body (code,
 * message, field, issues, retry_after) as JSON text, with `isError`.
 *
 * @example
 * toolError(connectorError("rate_limited", { limit: 100, window: 60, retry_after: 12 }, { retryAfterSeconds: 12 }));
 * // { isError: true, content: [{ type: "text", text: '{"error":{"code":"rate_limited",…,"retry_after":12}}' }] }
 */
export function toolError(error: ConnectorError): CallToolResult {
  return { isError: true, content: [{ type: "text", text: JSON.stringify({ error: error.toJSON() }) }] };
}

function splitCursor(args: Record<string, unknown>): { cursor: unknown; rest: Record<string, unknown> } {
  const { [CURSOR_ARGUMENT]: cursor, ...rest } = args;
  return { cursor, rest };
}

async function runAction(options: McpSessionOptions, tool: AgentTool, args: Record<string, unknown>): Promise<Result<Record<string, unknown>, ConnectorError>> {
  const result = await options.runtime.call(options.connectionId, tool.name as ActionId, args);
  return result.ok ? ok(result.value as Record<string, unknown>) : result;
}

async function runPage(options: McpSessionOptions, tool: AgentTool, args: Record<string, unknown>): Promise<Result<Record<string, unknown>, ConnectorError>> {
  const { cursor, rest } = splitCursor(args);
  const page = await options.runtime.callPage(options.connectionId, tool.name as ActionId, rest, cursor);
  if (!page.ok) return page;
  const { items, nextCursor } = page.value;
  return ok({ [ITEMS_PROPERTY]: items, ...(nextCursor === null ? {} : { [NEXT_CURSOR_PROPERTY]: nextCursor }) });
}

async function runTrigger(options: McpSessionOptions, tool: AgentTool, args: Record<string, unknown>): Promise<Result<Record<string, unknown>, ConnectorError>> {
  const { cursor, rest } = splitCursor(args);
  const triggerId = tool.name as TriggerId;
  // Its filters, then nothing else: the contract's (empty) input names what does not belong.
  const filters: Record<string, unknown> = {};
  for (const { name } of TRIGGERS[triggerId].filters) {
    if (rest[name] !== undefined) filters[name] = rest[name];
    delete rest[name];
  }
  const others = parseInput(TriggerInput, rest);
  if (!others.ok) return others;
  if (cursor !== undefined && (typeof cursor !== "string" || cursor === "")) {
    return err(connectorError("invalid_input", { field: CURSOR_ARGUMENT, reason: "must be a non-empty string: the cursor of your last look" }, { field: CURSOR_ARGUMENT }));
  }
  const looked = cursor === undefined ? await options.polls.start(options.connectionId, triggerId, filters) : await options.polls.next(options.connectionId, triggerId, cursor, CURSOR_ARGUMENT);
  if (!looked.ok) return looked;
  return ok({ [EVENTS_PROPERTY]: looked.value.events, [CURSOR_ARGUMENT]: looked.value.state, [RETRY_AFTER_PROPERTY]: looked.value.events.length === 0 ? looked.value.retryAfterSeconds : 0 });
}

const RUNNERS = { action: runAction, paged: runPage, trigger: runTrigger } as const;

/**
 * Builds one MCP session's server (the SDK's `Server`; connect it to a transport): `tools/list`
 * answers the tools of `toolsets`, and `tools/call` runs each on the one runtime for
 * `connectionId`: an action is `runtime.call`, a paged action one `runtime.callPage`, a trigger
 * one look through `TriggerPolls`. So validation, budget, deadlines and errors are the HTTP
 * action's: a result is `structuredContent` (valid against the tool's `outputSchema`) plus the
 * same JSON as text; an expected failure is a tool result with `isError` ({@link toolError}); an
 * unknown tool, or one outside the session's toolsets, is a protocol error.
 *
 * @example
 * const server = createMcpServer({ runtime, connectionId, toolsets: DEFAULT_TOOL_AREAS, polls });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(options: McpSessionOptions): Server {
  const tools = new Map(agentTools(options.toolsets).map((tool) => [tool.name as string, tool]));
  const listed = [...tools.values()].map(toolOf);
    const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = tools.get(request.params.name);
    if (tool === undefined) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name.slice(0, 100)} (not in this session's toolsets)`);
    const result = await RUNNERS[tool.kind](options, tool, request.params.arguments ?? {});
    return result.ok ? answered(tool, result.value) : toolError(result.error);
  });
  return server;
}
