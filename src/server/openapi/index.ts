export { buildSwagger, operationIdsOf, ERROR_DEFINITION } from "./swagger.js";
export type { SwaggerOptions } from "./swagger.js";
export { buildApiProperties } from "./api-properties.js";
export type { ApiPropertiesOptions } from "./api-properties.js";
export { connectorFiles, writeConnectorFiles, API_DEFINITION_FILE, API_PROPERTIES_FILE } from "./files.js";
export type { ConnectorFilesOptions } from "./files.js";
export { CONNECTOR_ROUTES, routeOf, routesOf, routeFor, POLLING_OPERATION_SUFFIX, NEXT_PAGE_OPERATION_SUFFIX } from "./routes.js";
export type { ConnectorRoute, RouteKind, RouteMethod, RouteParameter } from "./route-types.js";
export {
  UNSUBSCRIBE_OPERATION_ID,
  GET_SUBSCRIPTION_OPERATION_ID,
  LIST_DEAD_LETTERS_OPERATION_ID,
  REPLAY_DEAD_LETTER_OPERATION_ID,
} from "./webhook-routes.js";
export {
  ACTIONS_PATH,
  TRIGGERS_PATH,
  SUBSCRIPTIONS_PATH,
  CURSOR_PARAMETER,
  STATE_PARAMETER,
  SUBSCRIPTION_ID_PARAMETER,
  EVENT_ID_PARAMETER,
  AFTER_PARAMETER,
  LIMIT_PARAMETER,
  fastifyPath,
  fillPath,
} from "./paths.js";
export {
  ListLeadsPage,
  WebhookSubscriptionRequest,
  WebhookSubscription,
  WebhookSubscriptionStatus,
  DeadLetter,
  DeadLetterPage,
  DeadLetterQuery,
  ReplayedDeadLetter,
  DEFAULT_DEAD_LETTER_PAGE_SIZE,
  MAX_DEAD_LETTER_PAGE_SIZE,
  ErrorResponse,
  pageOf,
  NEXT_LINK_PROPERTY,
  PAGE_ITEMS_PROPERTY,
  CALLBACK_URL_PROPERTY,
} from "./shapes.js";
export {
  CONNECTOR_INFO,
  API_KEY_HEADER_NAME,
  API_KEY_SECURITY_NAME,
  HOST_CONNECTION_PARAMETER,
  checkHost,
  checkBasePath,
  checkScheme,
  resolveLocation,
  packageVersion,
} from "./metadata.js";
export type { ConnectorLocation, ResolvedLocation } from "./metadata.js";
export { toSwagger2, zodToSwagger, UnsupportedSchemaError } from "./json-schema.js";
export type { Json, JsonObject, SwaggerSchema, DefinitionNames } from "./json-schema.js";
export { OUTPUT_LABELS, INPUT_LABELS, SUBJECTS, annotate, humanize } from "./labels.js";
export type { FieldLabel, Visibility, AnnotateOptions } from "./labels.js";
export { MCP_PATH, MCP_OPERATION_ID, MCP_ROUTES, TOOLSETS_PARAMETER, mcpOperation, buildMcpSwagger, buildMcpApiProperties } from "./mcp-operation.js";
