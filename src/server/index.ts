export { buildServer } from "./app.js";
export type { ServerDeps, RouteContext, PreHandler } from "./context.js";
export { createTransportCache } from "./transports.js";
export type { TransportSettings } from "./transports.js";
export { serviceLoggerOptions, REDACTED_LOG_PATHS, OneLinePerRequest } from "./logger.js";
export type { ServiceLoggerOptions } from "./logger.js";
export { requireApiKey, API_KEY_HEADER } from "./auth.js";
export { requireAdmin, isDirectLoopback } from "./admin.js";
export { spendCallBudget } from "./budget.js";
export { sendError, installErrorHandling } from "./errors.js";
export type { ErrorBody } from "./errors.js";
export { connectionJson, CreateConnectionInput } from "./connections.js";
export { DEFAULT_POLL_BATCH_SIZE } from "./triggers.js";
export { KeyedLock } from "./poll-lock.js";
export { baseUrlOf } from "./base-url.js";
export {
  ACTION_ROUTES,
  TRIGGER_POLL_ROUTES,
  CONNECTION_ROUTES,
  HEALTH_PATH,
  OPENAPI_PATH,
  POLL_STATE_PARAM,
  LIST_CURSOR_PARAM,
  PAGE_ITEMS_NAME,
  NEXT_LINK_NAME,
  ADMIN_KEY_HEADER,
  fastifyPath,
} from "./routes.js";
export type { OperationRoute, RouteMethod } from "./routes.js";
