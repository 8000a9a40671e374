import type { z } from "zod";
import { OPERATIONS, type OperationId } from "../../contract/index.js";
import { zodToSwagger, type DefinitionNames, type JsonObject, type SwaggerSchema } from "./json-schema.js";
import { PICKER_KEY } from "../../contract/pickers.js";
import { withDynamicExtensions } from "./dynamic.js";
import { annotate, INPUT_LABELS, OUTPUT_LABELS, SUBJECTS } from "./labels.js";
import { API_KEY_HEADER_NAME, API_KEY_SECURITY_NAME, CONNECTOR_INFO, packageVersion, resolveLocation, type ConnectorLocation } from "./metadata.js";
import type { ConnectorRoute, RouteKind } from "./route-types.js";
import { MCP_PATH, mcpOperation } from "./mcp-operation.js";
import { CONNECTOR_ROUTES } from "./routes.js";
import { ErrorResponse, NEXT_LINK_PROPERTY } from "./shapes.js";

/** The name of the error shape's definition. */
export const ERROR_DEFINITION = "Error_Response";

/** What {@link buildSwagger} takes: where the service is, and the version to state. */
export interface SwaggerOptions extends ConnectorLocation {
  /** `info.version` (default: the package's version). */
  version?: string | undefined;
}

/** One named definition: its schema and how its fields are labelled. */
interface NamedDefinition {
  readonly schema: z.ZodType;
  readonly subject: string;
}

function addDefinition(definitions: Map<string, NamedDefinition>, name: string, schema: z.ZodType, subject: string): void {
  const known = definitions.get(name);
  if (known !== undefined && known.schema !== schema) throw new Error(`Two different schemas are both named ${name}`);
  definitions.set(name, { schema, subject });
}

/**
 * The named definitions: every output shape of the contract under its seed name, each route's
 * response that the table names (a page: `<OperationId>_Page`), and the error shape.
 */
function namedDefinitions(): Map<string, NamedDefinition> {
  const definitions = new Map<string, NamedDefinition>();
  for (const operation of Object.values(OPERATIONS)) {
    addDefinition(definitions, operation.outputName, operation.output, SUBJECTS[operation.outputName] ?? "item");
  }
  for (const route of CONNECTOR_ROUTES) {
    if (route.responseName !== undefined && route.response !== undefined) addDefinition(definitions, route.responseName, route.response, route.pageable === true ? "page" : "item");
  }
  addDefinition(definitions, ERROR_DEFINITION, ErrorResponse, "error");
  return definitions;
}

function ref(name: string): SwaggerSchema {
  return { $ref: `#/definitions/${name}` };
}

/** A response schema: a `$ref` when the schema is named, converted otherwise. */
function responseSchema(schema: z.ZodType, names: DefinitionNames): SwaggerSchema {
  const name = names.get(schema);
  return name === undefined ? zodToSwagger(schema, names, "output") : ref(name);
}

function subjectOf(route: ConnectorRoute): string {
  return route.operation === undefined ? "item" : (SUBJECTS[OPERATIONS[route.operation].outputName] ?? "item");
}

function parameters(route: ConnectorRoute, names: DefinitionNames): JsonObject[] {
  const list: JsonObject[] = route.parameters.map((parameter) => ({
    name: parameter.name,
    in: parameter.in,
    required: parameter.required,
    type: parameter.type ?? "string",
    ...(parameter.minimum === undefined ? {} : { minimum: parameter.minimum }),
    ...(parameter.maximum === undefined ? {} : { maximum: parameter.maximum }),
    ...(parameter.default === undefined ? {} : { default: parameter.default }),
    ...(parameter.enum === undefined ? {} : { enum: [...parameter.enum] }),
    "x-ms-summary": parameter.summary,
    description: parameter.description,
    ...(parameter.visibility === undefined ? {} : { "x-ms-visibility": parameter.visibility }),
    ...(parameter.picker === undefined ? {} : withDynamicExtensions({ [PICKER_KEY]: parameter.picker })),
  }));
  if (route.body !== undefined) {
    const internal = route.kind === "webhook-trigger";
    const schema = withDynamicExtensions(annotate(zodToSwagger(route.body, names, "input"), { labels: INPUT_LABELS, subject: subjectOf(route) }));
    list.push({
      name: "body",
      in: "body",
      required: true,
      "x-ms-summary": internal ? "Subscription" : "Input",
      description: internal ? "Where to deliver the events (filled in by Power Automate)." : `What ${route.operationId} takes.`,
      ...(internal ? { "x-ms-visibility": "internal" } : {}),
      schema: internal ? { ...schema, "x-ms-visibility": "internal" } : schema,
    });
  }
  return list;
}

const STRING_HEADER = (description: string): JsonObject => ({ type: "string", description });
const RETRY_AFTER = (): JsonObject => ({ type: "integer", description: "Seconds to wait before the next poll." });
// Fresh objects each time: the document shares no node, so a caller may edit one part safely.
const ERROR_RESPONSE = (): JsonObject => ({
  description: "An error: the body says which (docs/errors.md); 429 carries Retry-After.",
  schema: ref(ERROR_DEFINITION),
});

/** What the success of a subscription management route means. */
const MANAGEMENT_ANSWERS = {
  subscription: "The subscription, with its outbox counts.",
  "dead-letters": "One page of dead letters, oldest first.",
  replay: "Queued again: delivered next.",
  picker: "The picker's candidates.",
  "attribute-schema": "The JSON Schema of the custom attributes.",
} as const satisfies Partial<Record<RouteKind, string>>;

function responses(route: ConnectorRoute, names: DefinitionNames): JsonObject {
  const operation = route.operation === undefined ? undefined : OPERATIONS[route.operation];
  switch (route.kind) {
    case "action":
    case "paged-action":
    case "next-page":
      if (route.response === undefined || operation === undefined) throw new Error(`${route.operationId}: an action needs a response schema`);
      return { [route.status]: { description: operation.summary, schema: responseSchema(route.response, names) }, default: ERROR_RESPONSE() };
    case "polling-trigger": {
      if (route.response === undefined) throw new Error(`${route.operationId}: a polling trigger needs a response schema`);
      const next = (): JsonObject => STRING_HEADER("The URL of the next poll (it carries the trigger's state).");
      return {
        [route.status]: { description: "New events, oldest first.", schema: responseSchema(route.response, names), headers: { Location: next() } },
        202: { description: "Nothing new yet.", headers: { Location: next(), "Retry-After": RETRY_AFTER() } },
        default: ERROR_RESPONSE(),
      };
    }
    case "webhook-trigger":
      return {
        [route.status]: { description: "Subscribed: events are POSTed to the callback URL.", headers: { Location: STRING_HEADER("The subscription's URL; DELETE it to stop.") } },
        default: ERROR_RESPONSE(),
      };
    case "unsubscribe":
      return { [route.status]: { description: "Unsubscribed." }, default: ERROR_RESPONSE() };
    case "subscription":
    case "dead-letters":
    case "replay":
    case "picker":
    case "attribute-schema":
      if (route.response === undefined) throw new Error(`${route.operationId}: a ${route.kind} route needs a response schema`);
      return { [route.status]: { description: MANAGEMENT_ANSWERS[route.kind], schema: responseSchema(route.response, names) }, default: ERROR_RESPONSE() };
  }
}

function operationObject(route: ConnectorRoute, names: DefinitionNames): JsonObject {
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    "x-ms-visibility": route.visibility,
    ...(route.kind === "polling-trigger" ? { "x-ms-trigger": "batch" } : {}),
    ...(route.kind === "webhook-trigger" ? { "x-ms-trigger": "single" } : {}),
    ...(route.pageable === true ? { "x-ms-pageable": { nextLinkName: NEXT_LINK_PROPERTY } } : {}),
    parameters: parameters(route, names),
    responses: responses(route, names),
  };
}

function paths(names: DefinitionNames): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const route of CONNECTOR_ROUTES) {
    const item = (out[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (method in item) throw new Error(`Two routes for ${route.method} ${route.path}`);
    item[method] = operationObject(route, names);
    if (route.notification !== undefined) {
      const operation = route.operation === undefined ? undefined : OPERATIONS[route.operation];
      item["x-ms-notification-content"] = {
        description: operation === undefined ? "The event." : `The ${operation.outputName} of the event.`,
        schema: responseSchema(route.notification, names),
      };
    }
  }
  // The MCP server for Copilot Studio agents (x-ms-agentic-protocol): not a route of the table.
  out[MCP_PATH] = { post: mcpOperation() };
  return out;
}

/**
 * The connector's OpenAPI (Swagger 2.0) definition, as Power Automate, Logic Apps, Power Apps and
 * Copilot Studio import it as a custom connector (apiDefinition.swagger.json). Generated from the
 * contract's registry and zod schemas and from {@link CONNECTOR_ROUTES}: operation ids and
 * summaries as in the seed, `x-ms-summary` on every parameter and property, `x-ms-visibility`,
 * `x-ms-trigger`, `x-ms-pageable`, `x-ms-notification-url`, and the API key (`X-API-Key`). Throws
 * a RangeError for a host, base path or scheme Swagger 2.0 cannot hold.
 *
 * @example
 * const swagger = buildSwagger({ host: "connector.example.com", scheme: "https" });
 * swagger.paths["/v1/actions/CreateLead"].post.operationId; // "CreateLead"
 */
export function buildSwagger(options: SwaggerOptions = {}): JsonObject & { paths: Record<string, JsonObject>; definitions: Record<string, SwaggerSchema> } {
  const location = resolveLocation(options);
  const definitions = namedDefinitions();
  const names: DefinitionNames = new Map([...definitions].map(([name, definition]) => [definition.schema, name]));
  return {
    swagger: "2.0",
    info: { title: CONNECTOR_INFO.title, version: options.version ?? packageVersion(), description: CONNECTOR_INFO.description },
    ...(location.host === undefined ? {} : { host: location.host }),
    basePath: location.basePath,
    schemes: [location.scheme],
    consumes: ["application/json"],
    produces: ["application/json"],
    paths: paths(names),
    definitions: Object.fromEntries(
      [...definitions].map(([name, definition]) => [name, annotate(zodToSwagger(definition.schema, names, "output"), { labels: OUTPUT_LABELS, subject: definition.subject })]),
    ),
    parameters: {},
    responses: {},
    securityDefinitions: {
      [API_KEY_SECURITY_NAME]: {
        type: "apiKey",
        in: "header",
        name: API_KEY_HEADER_NAME,
        description: "The API key of a connection of the connector (shown once when the connection is created).",
      },
    },
    security: [{ [API_KEY_SECURITY_NAME]: [] }],
    tags: [],
    "x-ms-connector-metadata": [
      { propertyName: "Website", propertyValue: CONNECTOR_INFO.website },
      { propertyName: "Privacy policy", propertyValue: CONNECTOR_INFO.privacyPolicy },
      { propertyName: "Categories", propertyValue: CONNECTOR_INFO.categories },
    ],
  };
}

/**
 * The OpenAPI operation ids of a contract operation's routes.
 *
 * @example
 * operationIdsOf("TrigNewLead"); // ["TrigNewLead", "TrigNewLeadPolling"]
 */
export function operationIdsOf(id: OperationId): string[] {
  return CONNECTOR_ROUTES.filter((route) => route.operation === id).map((route) => route.operationId);
}
