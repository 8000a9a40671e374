import { z } from "zod";
import { OPERATIONS, operationIds, type ActionId, type OperationId, type TriggerId } from "../../contract/index.js";
import { humanize, INPUT_LABELS, SUBJECTS } from "./labels.js";
import { pageOf, WebhookSubscriptionRequest } from "./shapes.js";

// The HTTP routes of the connector's Power Platform face: the one table both the service (which
// registers them) and the OpenAPI file (which describes them) are built from.

/** What a route does. */
export type RouteKind =
  /** `POST /v1/actions/{OperationId}`: the body is the operation's input, 200 its output. */
  | "action"
  /** `GET /v1/actions/{OperationId}`: one page (`value`, `nextLink`); `cursor` picks the page. */
  | "paged-action"
  /** `GET /v1/triggers/{TriggerId}/poll`: Power Automate's polling protocol (202, or 200 + array). */
  | "polling-trigger"
  /** `POST /v1/triggers/{TriggerId}/subscriptions`: 201 + `Location`; events go to the callback URL. */
  | "webhook-trigger"
  /** `DELETE /v1/subscriptions/{subscriptionId}`: what Power Automate calls on `Location` to stop. */
  | "unsubscribe";

/** A path or query parameter of a route (bodies are given as schemas). */
export interface RouteParameter {
  readonly name: string;
  readonly in: "path" | "query";
  readonly required: boolean;
  /** `x-ms-summary`. */
  readonly summary: string;
  readonly description: string;
  /** `internal`: filled by Power Automate or the service, never by a flow's author. */
  readonly visibility?: "important" | "advanced" | "internal";
}

/** One route of the service. */
export interface ConnectorRoute {
  readonly method: "GET" | "POST" | "DELETE";
  /** The path relative to the base path, OpenAPI style (`/v1/subscriptions/{subscriptionId}`). */
  readonly path: string;
  /** The same path in fastify's style (`/v1/subscriptions/:subscriptionId`). */
  readonly url: string;
  /** The OpenAPI operation id: the contract's id, or derived from it. */
  readonly operationId: string;
  readonly kind: RouteKind;
  /** The contract operation the route serves (none for `unsubscribe`). */
  readonly operation?: OperationId;
  readonly parameters: readonly RouteParameter[];
  /** The JSON request body, when there is one. */
  readonly body?: z.ZodType;
  /** The HTTP status of success. */
  readonly status: 200 | 201 | 204;
  /** The body of a successful answer (`polling-trigger`: of a 200; 202 has none). */
  readonly response?: z.ZodType;
  /** `webhook-trigger`: the body POSTed to the callback URL for each event. */
  readonly notification?: z.ZodType;
}

/** Where actions live. */
export const ACTIONS_PATH = "/v1/actions";
/** Where triggers live. */
export const TRIGGERS_PATH = "/v1/triggers";
/** Where webhook subscriptions live (each one's URL is the `Location` of its creation). */
export const SUBSCRIPTIONS_PATH = "/v1/subscriptions";
/** The query parameter of a paged action that names the page (the `nextLink` carries it). */
export const CURSOR_PARAMETER = "cursor";
/** The query parameter of a polling trigger that carries its state (the `Location` carries it). */
export const STATE_PARAMETER = "state";
/** The path parameter naming a webhook subscription. */
export const SUBSCRIPTION_ID_PARAMETER = "subscriptionId";
/** Appended to a trigger's id for its polling operation (the webhook one keeps the seed's id). */
export const POLLING_OPERATION_SUFFIX = "Polling";
/** The operation id of `DELETE /v1/subscriptions/{subscriptionId}`. */
export const UNSUBSCRIBE_OPERATION_ID = "DeleteSubscription";

function fastifyUrl(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

/** An action whose output is a list is paged over HTTP (a `GET` with a cursor): its items schema. */
function pagedItems(id: ActionId): z.ZodArray<z.ZodType> | undefined {
  const output: z.ZodType = OPERATIONS[id].output;
  return output instanceof z.ZodArray ? (output as z.ZodArray<z.ZodType>) : undefined;
}

/** A GET action's input keys become query parameters: only flat strings can. */
function queryParameters(id: ActionId): RouteParameter[] {
  const input = OPERATIONS[id].input;
  if (!(input instanceof z.ZodObject)) throw new TypeError(`${id}: a paged action's input must be an object`);
  return Object.entries(input.shape as Record<string, z.ZodType>).map(([name, schema]) => {
    const optional = schema.safeParse(undefined).success;
    if (!(optional ? schema instanceof z.ZodOptional : schema instanceof z.ZodString)) throw new TypeError(`${id}.${name}: a paged action's inputs must be strings`);
    const label = INPUT_LABELS[name];
    const subject = SUBJECTS[OPERATIONS[id].outputName] ?? "item";
    return { name, in: "query", required: !optional, summary: label?.summary ?? humanize(name), description: label?.description.replaceAll("{subject}", subject) ?? `The ${name} input of ${id}.` };
  });
}

function actionRoute(id: ActionId): ConnectorRoute {
  const operation = OPERATIONS[id];
  const path = `${ACTIONS_PATH}/${id}`;
  const items = pagedItems(id);
  if (items === undefined) {
    return { method: "POST", path, url: fastifyUrl(path), operationId: id, kind: "action", operation: id, parameters: [], body: operation.input, status: 200, response: operation.output };
  }
  const cursor: RouteParameter = {
    name: CURSOR_PARAMETER,
    in: "query",
    required: false,
    summary: "Page Cursor",
    description: "Which page to return: the cursor in the previous page's nextLink. Absent for the first page.",
    visibility: "internal",
  };
  return {
    method: "GET",
    path,
    url: fastifyUrl(path),
    operationId: id,
    kind: "paged-action",
    operation: id,
    parameters: [...queryParameters(id), cursor],
    status: 200,
    response: pageOf(items),
  };
}

function pollingRoute(id: TriggerId): ConnectorRoute {
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
    url: fastifyUrl(path),
    operationId: `${id}${POLLING_OPERATION_SUFFIX}`,
    kind: "polling-trigger",
    operation: id,
    parameters: [state],
    status: 200,
    response: z.array(OPERATIONS[id].output),
  };
}

function webhookRoute(id: TriggerId): ConnectorRoute {
  const path = `${TRIGGERS_PATH}/${id}/subscriptions`;
  return {
    method: "POST",
    path,
    url: fastifyUrl(path),
    operationId: id,
    kind: "webhook-trigger",
    operation: id,
    parameters: [],
    body: WebhookSubscriptionRequest,
    status: 201,
    notification: OPERATIONS[id].output,
  };
}

function unsubscribeRoute(): ConnectorRoute {
  const path = `${SUBSCRIPTIONS_PATH}/{${SUBSCRIPTION_ID_PARAMETER}}`;
  return {
    method: "DELETE",
    path,
    url: fastifyUrl(path),
    operationId: UNSUBSCRIBE_OPERATION_ID,
    kind: "unsubscribe",
    parameters: [
      {
        name: SUBSCRIPTION_ID_PARAMETER,
        in: "path",
        required: true,
        summary: "Subscription ID",
        description: "The subscription to stop, as in the Location of its creation.",
        visibility: "internal",
      },
    ],
    status: 204,
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
 * Every route the OpenAPI file describes, in its order: the actions, then for each trigger its
 * webhook subscription and its polling endpoint, then the unsubscribe route. Built from the
 * contract's registry: a new operation gets its routes here without an edit.
 *
 * | method | path | operationId | kind |
 * |---|---|---|---|
 * | POST | /v1/actions/CreateUser, CreateLead, GetLead, GetUser | same | action (body: input; 200: output) |
 * | GET | /v1/actions/ListLeads?cursor= | ListLeads | paged-action (200: `{value, nextLink?}`) |
 * | POST | /v1/triggers/{TriggerId}/subscriptions | TrigNewLead… | webhook-trigger (body `{callback_url}`; 201 + Location) |
 * | GET | /v1/triggers/{TriggerId}/poll?state= | TrigNewLeadPolling… | polling-trigger (202, or 200 + array; Location, Retry-After) |
 * | DELETE | /v1/subscriptions/{subscriptionId} | DeleteSubscription | unsubscribe (204) |
 *
 * @example
 * for (const route of CONNECTOR_ROUTES) app.route({ method: route.method, url: route.url, handler: handlers[route.kind] });
 */
export const CONNECTOR_ROUTES: readonly ConnectorRoute[] = deepFreeze([
  ...operationIds("action").map(actionRoute),
  ...operationIds("trigger").flatMap((id) => [webhookRoute(id), pollingRoute(id)]),
  unsubscribeRoute(),
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
