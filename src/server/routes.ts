import { fastifyPath, fillPath } from "./openapi/paths.js";
import type { RouteMethod } from "./openapi/route-types.js";

// The service's own endpoints: the ones that are not operations of the connector's API and so
// are not in its route table (`CONNECTOR_ROUTES`, openapi/routes.ts) nor in the OpenAPI file.
// Paths use Swagger's `{param}` form, as the table's do.

/**
 * Where one of the service's own endpoints lives: its method, its path (Swagger form) and the
 * same in fastify's form, as the connector's route table gives them.
 *
 * @example
 * app.route({ method: CONNECTION_ROUTES.get.method, url: CONNECTION_ROUTES.get.url, handler });
 */
export interface ServiceRoute {
  readonly method: RouteMethod;
  readonly path: string;
  readonly url: string;
}

function serviceRoute(method: RouteMethod, path: string): ServiceRoute {
  return Object.freeze({ method, path, url: fastifyPath(path) });
}

/**
 * The connection endpoints (the service's management API, not operations of the connector).
 *
 * @example
 * CONNECTION_ROUTES.test.path; // "/v1/connections/{connectionId}/test"
 */
export const CONNECTION_ROUTES = Object.freeze({
  create: serviceRoute("POST", "/v1/connections"),
  list: serviceRoute("GET", "/v1/connections"),
  get: serviceRoute("GET", "/v1/connections/{connectionId}"),
  test: serviceRoute("POST", "/v1/connections/{connectionId}/test"),
  delete: serviceRoute("DELETE", "/v1/connections/{connectionId}"),
});

/**
 * Where Intercom pushes its webhooks for a connection (signed with the Intercom app's client
 * secret; no API key).
 *
 * @example
 * INTERCOM_PUSH_ROUTE.path; // "/intercom/webhooks/{connectionId}"
 */
export const INTERCOM_PUSH_ROUTE = serviceRoute("POST", "/intercom/webhooks/{connectionId}");

/**
 * Liveness (no key).
 *
 * @example
 * await fetch(`${base}${HEALTH_PATH}`); // 200 {"status":"ok"}
 */
export const HEALTH_PATH = "/health";
/**
 * Readiness (no key): 200 when the store answers and its schema is this release's, else 503.
 *
 * @example
 * await fetch(`${base}${READY_PATH}`); // 200 {"status":"ready","schema_version":4}
 */
export const READY_PATH = "/ready";
/**
 * Prometheus metrics (`METRICS_TOKEN` as a bearer token, or the admin API's rule).
 *
 * @example
 * await fetch(`${base}${METRICS_PATH}`, { headers: { authorization: `Bearer ${token}` } });
 */
export const METRICS_PATH = "/metrics";
/**
 * The Swagger 2.0 document (no key).
 *
 * @example
 * await fetch(`${base}${OPENAPI_PATH}`); // apiDefinition.swagger.json
 */
export const OPENAPI_PATH = "/openapi.json";

/**
 * The header that carries the admin key for creating connections (`CONNECTOR_ADMIN_KEY`).
 *
 * @example
 * await fetch(`${base}/v1/connections`, { method: "POST", headers: { [ADMIN_KEY_HEADER]: adminKey } });
 */
export const ADMIN_KEY_HEADER = "x-admin-key";

/**
 * A connection's URL path (the `Location` of its creation).
 *
 * @example
 * connectionPath(connection.id); // "/v1/connections/9f1c…"
 */
export function connectionPath(connectionId: string): string {
  return fillPath(CONNECTION_ROUTES.get.path, { connectionId });
}

/**
 * Where Intercom's webhooks for a connection go (the URL to enter in the Intercom app's webhook
 * settings, after the service's base URL).
 *
 * @example
 * intercomPushPath(connection.id); // "/intercom/webhooks/9f1c…"
 */
export function intercomPushPath(connectionId: string): string {
  return fillPath(INTERCOM_PUSH_ROUTE.path, { connectionId });
}
