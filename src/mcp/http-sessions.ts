import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { ToolArea } from "../contract/index.js";
import type { Runtime, TriggerPolls } from "../runtime/index.js";
import { createMcpServer } from "./server.js";

/** The header the Streamable HTTP transport carries a session's id in. */
export const MCP_SESSION_HEADER = "mcp-session-id";
/** A session unused this long is closed (the next request under its id is told it is gone). */
export const DEFAULT_MCP_SESSION_IDLE_MS = 60 * 60 * 1000;
/** At most this many sessions are kept; past it the least recently used one is closed. */
export const DEFAULT_MCP_MAX_SESSIONS = 1000;

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly connectionId: string;
  lastUsed: number;
}

/**
 * The MCP sessions of one HTTP service, as the SDK's Streamable HTTP transport does them: an
 * `initialize` POST without a session id opens a session (its id in `Mcp-Session-Id`), bound to
 * the connection whose API key opened it and to the toolsets it asked for; every later request
 * names it. A session id of another connection is answered as an unknown one (404), so one
 * connection's agents can neither use nor probe another's sessions. Sessions are kept in this
 * process (a restart ends them; clients initialize again) and closed when idle.
 *
 * @example
 * const sessions = new McpSessions({ runtime, polls: new TriggerPolls(runtime) });
 * await sessions.handle(request.raw, reply.raw, request.body, { connectionId, toolsets: ["contacts"] });
 * await sessions.close();
 */
export class McpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly runtime: Runtime;
  private readonly polls: TriggerPolls;
  private readonly idleMs: number;
  private readonly maxSessions: number;

  constructor(options: { runtime: Runtime; polls: TriggerPolls; idleMs?: number; maxSessions?: number }) {
    this.runtime = options.runtime;
    this.polls = options.polls;
    this.idleMs = options.idleMs ?? DEFAULT_MCP_SESSION_IDLE_MS;
    this.maxSessions = options.maxSessions ?? DEFAULT_MCP_MAX_SESSIONS;
  }

  /** How many sessions are open. */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Answers one MCP request (POST, GET or DELETE) of an authenticated connection: `body` is the
   * parsed JSON of a POST. `toolsets` counts only for an `initialize`, which opens the session.
   */
  async handle(request: IncomingMessage, response: ServerResponse, body: unknown, caller: { connectionId: string; toolsets: readonly ToolArea[] }): Promise<void> {
    await this.closeIdle();
    const header = request.headers[MCP_SESSION_HEADER];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId !== undefined) {
      const session = this.sessions.get(sessionId);
      if (session === undefined || session.connectionId !== caller.connectionId) return jsonRpcError(response, 404, -32001, "Session not found");
      // A message is use; the GET that opens the session's event stream (the client does it on its own) is not.
      if (request.method !== "GET") session.lastUsed = this.runtime.now();
      return session.transport.handleRequest(request, response, body);
    }
    if (request.method !== "POST" || !isInitializeRequest(body)) {
      return jsonRpcError(response, 400, -32000, "Bad Request: no Mcp-Session-Id: initialize a session first");
    }
    await this.makeRoom();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, connectionId: caller.connectionId, lastUsed: this.runtime.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.sessions.delete(transport.sessionId);
    };
    const server = createMcpServer({ runtime: this.runtime, connectionId: caller.connectionId, toolsets: caller.toolsets, polls: this.polls });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  /** Closes every session (the service is stopping). */
  async close(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map((session) => session.transport.close()));
  }

  private async closeIdle(): Promise<void> {
    const before = this.runtime.now() - this.idleMs;
    for (const [id, session] of this.sessions) {
      if (session.lastUsed >= before) continue;
      this.sessions.delete(id);
      await session.transport.close();
    }
  }

  private async makeRoom(): Promise<void> {
    while (this.sessions.size >= this.maxSessions) {
      let oldest: [string, Session] | undefined;
      for (const entry of this.sessions) if (oldest === undefined || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
      if (oldest === undefined) return;
      this.sessions.delete(oldest[0]);
      await oldest[1].transport.close();
    }
  }
}

/** A JSON-RPC error answer in the transport's own shape (what the SDK answers for its refusals). */
function jsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}
