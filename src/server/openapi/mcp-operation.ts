import { buildApiProperties, type ApiPropertiesOptions } from "./api-properties.js";
import type { JsonObject } from "./json-schema.js";
import { API_KEY_HEADER_NAME, API_KEY_SECURITY_NAME, CONNECTOR_INFO, packageVersion, resolveLocation } from "./metadata.js";
import type { SwaggerOptions } from "./swagger.js";

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

/**
 * A custom connector that holds only the MCP operation (`intercom-connector openapi --mcp`): what
 * a Copilot Studio agent imports to reach the connector's tools, with the same host and API key
 * as the full connector.
 *
 * @example
 * buildMcpSwagger({ host: "connector.example.com" }).paths; // { "/mcp": { post: { operationId: "InvokeMCP", … } } }
 */
export function buildMcpSwagger(options: SwaggerOptions = {}): JsonObject & { paths: Record<string, JsonObject> } {
  const location = resolveLocation(options);
  return {
    swagger: "2.0",
    info: { title: `${CONNECTOR_INFO.title} MCP`, version: options.version ?? packageVersion(), description: `${CONNECTOR_INFO.description} This connector offers its actions and triggers as MCP tools for Copilot Studio agents.` },
    ...(location.host === undefined ? {} : { host: location.host }),
    basePath: location.basePath,
    schemes: [location.scheme],
    consumes: ["application/json"],
    produces: ["application/json"],
    paths: { [MCP_PATH]: { post: mcpOperation() } },
    definitions: {},
    parameters: {},
    responses: {},
    securityDefinitions: {
      [API_KEY_SECURITY_NAME]: { type: "apiKey", in: "header", name: API_KEY_HEADER_NAME, description: "The API key of a connection of the connector (shown once when the connection is created)." },
    },
    security: [{ [API_KEY_SECURITY_NAME]: [] }],
    tags: [],
  };
}

/**
 * The apiProperties.json of the MCP-only connector: the full connector's connection parameters
 * and host policy, without the paging policies of operations it does not have.
 *
 * @example
 * buildMcpApiProperties({ host: "connector.example.com" }).properties.policyTemplateInstances; // [{ templateId: "dynamichosturl", … }]
 */
export function buildMcpApiProperties(options: ApiPropertiesOptions = {}): ReturnType<typeof buildApiProperties> {
  const full = buildApiProperties(options);
  const policies = full.properties.policyTemplateInstances;
  const kept = Array.isArray(policies) ? policies.filter((policy) => typeof policy === "object" && policy !== null && !Array.isArray(policy) && policy.templateId === "dynamichosturl") : [];
  return { properties: { ...full.properties, capabilities: ["actions"], policyTemplateInstances: kept } };
}
