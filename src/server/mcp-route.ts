import type { FastifyInstance } from "fastify";
import { connectorError } from "../contract/index.js";
import { McpSessions, parseToolsets } from "../mcp/index.js";
import { TriggerPolls } from "../runtime/index.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { MCP_ROUTES, TOOLSETS_PARAMETER } from "./openapi/mcp-operation.js";

/**
 * `POST /mcp` (and GET, DELETE for a session): the connector's tools for AI agents over MCP's
 * Streamable HTTP transport (`src/mcp/`, sessions as the SDK does them), behind the connection's
 * API key like every other route (401 in the service's shape without one). `?toolsets=a,b` picks
 * the areas a new session offers; an unknown one is 400 `invalid_input` naming `toolsets`. The
 * route only translates: every tool call runs on the runtime for the key's connection.
 *
 * @example
 * registerMcpRoute(app, ctx);
 * // an MCP client: new StreamableHTTPClientTransport(new URL(`${base}/mcp?toolsets=contacts`), { requestInit: { headers: { "X-API-Key": key } } })
 */
export function registerMcpRoute(app: FastifyInstance, ctx: RouteContext): void {
  const sessions = new McpSessions({ runtime: ctx.runtime, polls: new TriggerPolls(ctx.runtime, { ...(ctx.deps.pollBatchSize === undefined ? {} : { batchSize: ctx.deps.pollBatchSize }) }) });
  // Open streams (a session's GET) would hold the service's close: sessions end first.
  app.addHook("preClose", () => sessions.close());
  for (const route of MCP_ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      preHandler: ctx.authenticated,
      handler: async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const given = query[TOOLSETS_PARAMETER];
        if (given !== undefined && typeof given !== "string") {
          return sendError(reply, connectorError("invalid_input", { field: TOOLSETS_PARAMETER, reason: "must be given once" }, { field: TOOLSETS_PARAMETER }));
        }
        const toolsets = parseToolsets(given, TOOLSETS_PARAMETER);
        if (!toolsets.ok) return sendError(reply, toolsets.error);
        // The transport writes the answer (JSON or an SSE stream) itself.
        reply.hijack();
        await sessions.handle(request.raw, reply.raw, request.body, { connectionId: request.connection.id, toolsets: toolsets.value });
        return reply;
      },
    });
  }
}
