import { z } from "zod";
import { OPERATIONS, operationIds, type ActionId, type OperationId, type TriggerId } from "../../contract/index.js";
import { humanize, INPUT_LABELS, SUBJECTS } from "./labels.js";
import { ACTIONS_PATH, CURSOR_PARAMETER, fastifyPath, STATE_PARAMETER, TRIGGERS_PATH } from "./paths.js";
import type { ConnectorRoute, RouteKind, RouteParameter } from "./route-types.js";
import { pageOf } from "./shapes.js";
import { pickerRoutes } from "./picker-routes.js";
import { subscriptionManagementRoutes, webhookTriggerRoute } from "./webhook-routes.js";
import { filterParameters } from "./trigger-filters.js";

// The HTTP routes of the connector's API: the one table the service registers its routes from
// and the OpenAPI file describes. The service's own endpoints (health, the OpenAPI document,
// connections, Intercom's pushes) are not operations of the connector: see ../routes.ts.

/**
 * Appended to a trigger's id for its polling operation (the webhook one keeps the seed's id).
 *
 * @example
 * routeOf(`TrigNewLead${POLLING_OPERATION_SUFFIX}`)?.kind; // "polling-trigger"
 */
export const POLLING_OPERATION_SUFFIX = "Polling";

/** An action whose output is a list is paged over HTTP (a `GET` with a cursor): its items schema. */
function pagedItems(id: ActionId): z.ZodArray<z.ZodType> | undefined {
  const output: z.ZodType = OPERATIONS[id].output;
  return output instanceof z.ZodArray ? (output as z.ZodArray<z.ZodType>) : undefined;
}

/** Whether an action's input can be query parameters: an object of flat strings only. */
function hasQueryInput(id: ActionId): boolean {
  const input = OPERATIONS[id].input;
  if (!(input instanceof z.ZodObject)) return false;
  return Object.values(input.shape as Record<string, z.ZodType>).every((schema) => {
    const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    return inner instanceof z.ZodString;
  });
}

/** A GET action's input keys become query parameters (see {@link hasQueryInput}). */
function queryParameters(id: ActionId): RouteParameter[] {
  const input = OPERATIONS[id].input as z.ZodObject;
  return Object.entries(input.shape as Record<string, z.ZodType>).map(([name, schema]) => {
    const optional = schema.safeParse(undefined).success;
    const label = INPUT_LABELS[name];
    const subject = SUBJECTS[OPERATIONS[id].outputName] ?? "item";
    return { name, in: "query", required: !optional, summary: label?.summary ?? humanize(name), description: label?.description.replaceAll("{subject}", subject) ?? `The ${name} input of ${id}.` };
  });
}

/**
 * Appended to a paged action's id for the operation that serves its next pages, when its first
 * page is a POST (an input that query parameters cannot carry): `GET …?cursor=`.
 *
 * @example
 * routeOf(`SearchContacts${NEXT_PAGE_OPERATION_SUFFIX}`)?.kind; // "next-page"
 */
export const NEXT_PAGE_OPERATION_SUFFIX = "NextPage";

function actionRoutes(id: ActionId): ConnectorRoute[] {
  const operation = OPERATIONS[id];
  const path = `${ACTIONS_PATH}/${id}`;
  const items = pagedItems(id);
  const described = { summary: operation.summary, description: operation.description, visibility: "important" } as const;
  if (items === undefined) {
    return [{ method: "POST", path, url: fastifyPath(path), operationId: id, kind: "action", operation: id, ...described, parameters: [], body: operation.input, status: 200, response: operation.output }];
  }
  const cursor: RouteParameter = {
    name: CURSOR_PARAMETER,
    in: "query",
    required: false,
    summary: "Page Cursor",
    description: "Which page to return: the cursor in the previous page's nextLink. Absent for the first page.",
    visibility: "internal",
  };
  const page = { status: 200, response: pageOf(items), responseName: `${id}_Page`, pageable: true } as const;
  if (hasQueryInput(id)) {
    return [{ method: "GET", path, url: fastifyPath(path), operationId: id, kind: "paged-action", operation: id, ...described, parameters: [...queryParameters(id), cursor], ...page }];
  }
  // The first page takes the input as a body; the nextLink is a GET whose cursor carries it.
  return [
    { method: "POST", path, url: fastifyPath(path), operationId: id, kind: "paged-action", operation: id, ...described, parameters: [], body: operation.input, ...page },
    {
      method: "GET",
      path,
      url: fastifyPath(path),
      operationId: `${id}${NEXT_PAGE_OPERATION_SUFFIX}`,
      kind: "next-page",
      operation: id,
      summary: `${operation.summary}: next page`,
      description: `The page after one of ${id}: the cursor of the previous page's nextLink carries the input.`,
      visibility: "internal",
      parameters: [{ ...cursor, required: true, description: "Which page to return: the cursor in the previous page's nextLink." }],
      ...page,
    },
  ];
}

function pollingRoute(id: TriggerId): ConnectorRoute {
  const operation = OPERATIONS[id];
  const path = `${TRIGGERS_PATH}/${id}/poll`;
  const state: RouteParameter = {
    name: STATE_PARAMETER,
    in: "query",
    required: false,
    summary: "Trigger State",
    description: "Where the trigger is: set by the service in each answer's Location header. Absent on the first poll, which starts the trigger from now.",
    visibility: "internal",
  };
  return {
    method: "GET",
    path,
    url: fastifyPath(path),
    operationId: `${id}${POLLING_OPERATION_SUFFIX}`,
    kind: "polling-trigger",
    operation: id,
    summary: `${operation.summary} (polling)`,
    description: `${operation.description} Power Automate polls for new events.`,
    visibility: "advanced",
    parameters: [state, ...filterParameters(id)],
    status: 200,
    response: z.array(operation.output),
  };
}

function deepFreeze<T extends object>(routes: T[]): readonly Readonly<T>[] {
  for (const route of routes) {
    for (const value of Object.values(route)) if (Array.isArray(value)) Object.freeze(value);
    Object.freeze(route);
  }
  return Object.freeze(routes);
}

/**
 * Every route of the connector's API, in the OpenAPI file's order: the actions, then for each
 * trigger its webhook subscription and its polling endpoint, then a subscription's own routes.
 * The service registers each from here (method, url) and the OpenAPI file describes each from
 * here; nothing else names these paths. Built from the contract's registry: a new operation gets
 * its routes here without an edit.
 *
 * | method | path | operationId | kind |
 * |---|---|---|---|
 * | POST | /v1/actions/CreateUser, CreateLead, GetLead, GetUser | same | action (body: input; 200: output) |
 * | GET | /v1/actions/ListLeads?cursor= | ListLeads | paged-action whose input is query parameters (200: `{value, nextLink?}`) |
 * | POST | /v1/actions/{ActionId} | same | paged-action whose input is a body (200: `{value, nextLink?}`) |
 * | GET | /v1/actions/{ActionId}?cursor= | {ActionId}NextPage | next-page of a POST paged-action (200: `{value, nextLink?}`) |
 * | POST | /v1/triggers/{TriggerId}/subscriptions | TrigNewLead… | webhook-trigger (body `{callback_url}`; 201 + Location) |
 * | GET | /v1/triggers/{TriggerId}/poll?state= | TrigNewLeadPolling… | polling-trigger (202, or 200 + array; Location, Retry-After) |
 * | DELETE | /v1/subscriptions/{subscriptionId} | DeleteSubscription | unsubscribe (204) |
 * | GET | /v1/subscriptions/{subscriptionId} | GetSubscription | subscription (200: the subscription, its outbox counts) |
 * | GET | /v1/subscriptions/{subscriptionId}/dead-letters?after=&limit= | ListDeadLetters | dead-letters (200: `{value, nextLink?}`) |
 * | POST | /v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay | ReplayDeadLetter | replay (202: `{id, status}`) |
 * | GET | /v1/pickers/{picker} | ListPickerValues | picker (internal; 200: `{value: [{id, title}]}`) |
 * | GET | /v1/custom-attributes/{model}/schema | GetCustomAttributeSchema | attribute-schema (internal; 200: `{model, schema}`) |
 *
 * @example
 * for (const route of CONNECTOR_ROUTES) app.route({ method: route.method, url: route.url, handler: handlers[route.kind] });
 */
export const CONNECTOR_ROUTES: readonly ConnectorRoute[] = deepFreeze([
  ...operationIds("action").flatMap(actionRoutes),
  ...operationIds("trigger").flatMap((id) => [webhookTriggerRoute(id), pollingRoute(id)]),
  ...subscriptionManagementRoutes(),
  ...pickerRoutes(),
]);

/**
 * The route of an OpenAPI operation id.
 *
 * @example
 * routeOf("TrigNewLeadPolling"); // { method: "GET", path: "/v1/triggers/TrigNewLead/poll", … }
 */
export function routeOf(operationId: string): ConnectorRoute | undefined {
  return CONNECTOR_ROUTES.find((route) => route.operationId === operationId);
}

/**
 * The routes of a kind, in the table's order.
 *
 * @example
 * routesOf("polling-trigger").map((route) => route.operation); // ["TrigNewLead", "TrigNewUser", …]
 */
export function routesOf(kind: RouteKind): readonly ConnectorRoute[] {
  return CONNECTOR_ROUTES.filter((route) => route.kind === kind);
}

/**
 * The one route of a kind (for a contract operation, when the kind has one per operation), for a
 * handler to be registered at. Throws when the table has none or several: a handler with no
 * route, or a route served twice, is a bug to see at start-up.
 *
 * @example
 * const route = routeFor("paged-action", "ListLeads");
 * app.route({ method: route.method, url: route.url, handler });
 */
export function routeFor(kind: RouteKind, operation?: OperationId): ConnectorRoute {
  const found = CONNECTOR_ROUTES.filter((route) => route.kind === kind && (operation === undefined || route.operation === operation));
  const [only] = found;
  if (only === undefined || found.length > 1) throw new Error(`the route table has ${found.length} ${kind} routes${operation === undefined ? "" : ` for ${operation}`}`);
  return only;
}
