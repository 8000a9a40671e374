import type { ActionId, TriggerId } from "../contract/index.js";

/**
 * The service's URL layout in one place, so the routes, the OpenAPI document and the docs
 * (docs/service.md) cannot disagree. Paths use Swagger's `{param}` form; {@link fastifyPath}
 * turns them into fastify's `:param` form.
 */

/** An HTTP method the service routes. */
export type RouteMethod = "GET" | "POST" | "DELETE";

/** Where one operation lives: its method and path (Swagger form). */
export interface OperationRoute {
  readonly method: RouteMethod;
  readonly path: string;
}

/**
 * The five actions, one path each, named by operation id: each takes the contract's input as the
 * JSON body (POST), except `ListLeads`, which takes none and is paged (GET, `cursor` in the query,
 * as Power Automate follows `nextLink` with a GET). The OpenAPI document's route table
 * (`openapi/routes.ts`) describes the same paths; a test keeps the two in step.
 *
 * @example
 * ACTION_ROUTES.GetLead; // { method: "POST", path: "/v1/actions/GetLead" }
 */
export const ACTION_ROUTES = {
  CreateUser: { method: "POST", path: "/v1/actions/CreateUser" },
  CreateLead: { method: "POST", path: "/v1/actions/CreateLead" },
  ListLeads: { method: "GET", path: "/v1/actions/ListLeads" },
  GetLead: { method: "POST", path: "/v1/actions/GetLead" },
  GetUser: { method: "POST", path: "/v1/actions/GetUser" },
} as const satisfies Record<ActionId, OperationRoute>;

/**
 * The Power Automate polling endpoint of each trigger (`x-ms-trigger: batch`). The subscription
 * travels in the {@link POLL_STATE_PARAM} query parameter of the `Location` the service answers.
 *
 * @example
 * TRIGGER_POLL_ROUTES.TrigNewLead.path; // "/v1/triggers/TrigNewLead/poll"
 */
export const TRIGGER_POLL_ROUTES = {
  TrigNewLead: { method: "GET", path: "/v1/triggers/TrigNewLead/poll" },
  TrigNewUser: { method: "GET", path: "/v1/triggers/TrigNewUser/poll" },
  TrigUpdateUser: { method: "GET", path: "/v1/triggers/TrigUpdateUser/poll" },
  TrigNewConversation: { method: "GET", path: "/v1/triggers/TrigNewConversation/poll" },
} as const satisfies Record<TriggerId, OperationRoute>;

/**
 * The connection endpoints (not operations of the contract; the service's own management API).
 *
 * @example
 * CONNECTION_ROUTES.test.path; // "/v1/connections/{connectionId}/test"
 */
export const CONNECTION_ROUTES = {
  create: { method: "POST", path: "/v1/connections" },
  list: { method: "GET", path: "/v1/connections" },
  get: { method: "GET", path: "/v1/connections/{connectionId}" },
  test: { method: "POST", path: "/v1/connections/{connectionId}/test" },
  delete: { method: "DELETE", path: "/v1/connections/{connectionId}" },
} as const satisfies Record<string, OperationRoute>;

/** Liveness (no key). */
export const HEALTH_PATH = "/health";
/** The Swagger 2.0 document (no key). */
export const OPENAPI_PATH = "/openapi.json";

/**
 * The query parameter of a trigger poll that carries the subscription (internal in Power
 * Automate: set only through the `Location` the service answers).
 *
 * @example
 * new URL(location).searchParams.get(POLL_STATE_PARAM); // the subscription id
 */
export const POLL_STATE_PARAM = "state";
/**
 * The query parameter of `ListLeads` that carries the opaque page cursor (set through `nextLink`).
 *
 * @example
 * new URL(nextLink).searchParams.get(LIST_CURSOR_PARAM); // "leads.eyJhZnRlciI6…"
 */
export const LIST_CURSOR_PARAM = "cursor";
/**
 * `x-ms-pageable`: the page's items are under `value`, the next page's absolute URL under
 * `nextLink` (absent on the last page).
 *
 * @example
 * const { value, nextLink } = (await response.json()) as { value: unknown[]; nextLink?: string };
 */
export const PAGE_ITEMS_NAME = "value";
/** See {@link PAGE_ITEMS_NAME}. */
export const NEXT_LINK_NAME = "nextLink";
/**
 * The header that carries the admin key for creating connections (`CONNECTOR_ADMIN_KEY`).
 *
 * @example
 * await fetch(`${base}/v1/connections`, { method: "POST", headers: { [ADMIN_KEY_HEADER]: adminKey } });
 */
export const ADMIN_KEY_HEADER = "x-admin-key";

/**
 * A Swagger path in fastify's form: `{name}` becomes `:name`.
 *
 * @example
 * fastifyPath("/v1/connections/{connectionId}/test"); // "/v1/connections/:connectionId/test"
 */
export function fastifyPath(swaggerPath: string): string {
  return swaggerPath.replace(/\{(\w+)\}/g, ":$1");
}
