import type { JsonObject } from "./json-schema.js";

/**
 * Where the MCP server is served (Streamable HTTP: POST, and GET and DELETE for a session).
 *
 * @example
 * await fetch(`${base}${MCP_PATH}?toolsets=contacts`, { method: "POST", headers: { "x-api-key": key } });
 */
export const MCP_PATH = "/mcp";
/** The OpenAPI operation id of the MCP server. */
export const MCP_OPERATION_ID = "InvokeMCP";
/** The query parameter naming the toolsets (the catalogue's areas) a session offers. */
export const TOOLSETS_PARAMETER = "toolsets";

/**
 * The MCP server as Copilot Studio imports it from a custom connector: one POST operation marked
 * `x-ms-agentic-protocol: mcp-streamable-1.0` (Streamable HTTP), authenticated by the
 * connector's API key like every operation, with the toolsets as an optional query parameter.
 *
 * @example
 * const swagger = buildSwagger();
 * swagger.paths["/mcp"].post["x-ms-agentic-protocol"]; // "mcp-streamable-1.0"
 */
export function mcpOperation(): JsonObject {
  return {
    operationId: MCP_OPERATION_ID,
    summary: "Intercom tools for agents (MCP)",
    description: "The connector's actions and triggers as Model Context Protocol tools over Streamable HTTP, for Copilot Studio agents.",
    "x-ms-agentic-protocol": "mcp-streamable-1.0",
    "x-ms-visibility": "important",
    parameters: [
      {
        name: TOOLSETS_PARAMETER,
        in: "query",
        required: false,
        type: "string",
        "x-ms-summary": "Toolsets",
        description: "Areas whose tools to offer, comma-separated (contacts, contact-lists, companies, tags, notes, events, data-attributes, workspace, raw) or all; default contacts, contact-lists, companies, notes.",
      },
    ],
    responses: {
      200: { description: "Success" },
      default: { description: "An error: the body says which (docs/errors.md)." },
    },
  };
}

/**
 * The service's MCP routes (Streamable HTTP: POST carries messages, GET opens a session's stream,
 * DELETE ends a session), as fastify registers them.
 *
 * @example
 * MCP_ROUTES.map((route) => `${route.method} ${route.url}`); // ["POST /mcp", "GET /mcp", "DELETE /mcp"]
 */
export const MCP_ROUTES = Object.freeze((["POST", "GET", "DELETE"] as const).map((method) => Object.freeze({ method, path: MCP_PATH, url: MCP_PATH })));
