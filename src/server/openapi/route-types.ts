import type { z } from "zod";
import type { OperationId, PickerId } from "../../contract/index.js";
import type { Visibility } from "./labels.js";

// What one row of the route table (`CONNECTOR_ROUTES`) says. Kept apart from the table so the
// modules that build rows (routes.ts, webhook-routes.ts) share it without importing each other.

/**
 * An HTTP method the service routes.
 *
 * @example
 * const method: RouteMethod = "GET";
 */
export type RouteMethod = "GET" | "POST" | "DELETE";

/**
 * What a route does: the service's handler and the OpenAPI operation follow from it.
 *
 * @example
 * CONNECTOR_ROUTES.filter((route) => route.kind === "polling-trigger");
 */
export type RouteKind =
  /** `POST /v1/actions/{OperationId}`: the body is the operation's input, 200 its output. */
  | "action"
  /**
   * `GET /v1/actions/{OperationId}` (input as query parameters) or `POST` (input as a body): one
   * page (`value`, `nextLink`); `cursor` picks a later page.
   */
  | "paged-action"
  /** `GET /v1/actions/{OperationId}?cursor=`: a later page of a `POST` paged action. */
  | "next-page"
  /** `GET /v1/triggers/{TriggerId}/poll`: Power Automate's polling protocol (202, or 200 + array). */
  | "polling-trigger"
  /** `POST /v1/triggers/{TriggerId}/subscriptions`: 201 + `Location`; events go to the callback URL. */
  | "webhook-trigger"
  /** `DELETE /v1/subscriptions/{subscriptionId}`: what Power Automate calls on `Location` to stop. */
  | "unsubscribe"
  /** `GET /v1/subscriptions/{subscriptionId}`: the webhook subscription and its outbox counts. */
  | "subscription"
  /** `GET /v1/subscriptions/{subscriptionId}/dead-letters`: the events given up on, paged. */
  | "dead-letters"
  /** `POST /v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay`: queue one again (202). */
  | "replay"
  /** `GET /v1/pickers/{picker}`: a picker's candidates (`{value: [{id, title}]}`), for `x-ms-dynamic-values`. */
  | "picker"
  /** `GET /v1/custom-attributes/{model}/schema`: the JSON Schema of a model's custom attributes, for `x-ms-dynamic-schema`. */
  | "attribute-schema";

/**
 * A path or query parameter of a route (bodies are given as schemas).
 *
 * @example
 * const limit: RouteParameter = { name: "limit", in: "query", required: false, type: "integer", minimum: 1, maximum: 100, summary: "Page Size", description: "…" };
 */
export interface RouteParameter {
  readonly name: string;
  readonly in: "path" | "query";
  readonly required: boolean;
  /** The Swagger type (default `string`). */
  readonly type?: "string" | "integer";
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
  /** The values it takes, when they are few and fixed. */
  readonly enum?: readonly string[];
  /** `x-ms-summary`. */
  readonly summary: string;
  readonly description: string;
  /** `internal`: filled by Power Automate or the service, never by a flow's author. */
  readonly visibility?: Visibility;
  /** Where a form offers its values (`x-ms-dynamic-values` on `ListPickerValues`). */
  readonly picker?: PickerId;
}

/**
 * One route of the service's connector API: how fastify registers it and how the OpenAPI file
 * describes it.
 *
 * @example
 * const route: ConnectorRoute = routeFor("replay");
 * app.route({ method: route.method, url: route.url, handler });
 */
export interface ConnectorRoute {
  readonly method: RouteMethod;
  /** The path relative to the base path, OpenAPI style (`/v1/subscriptions/{subscriptionId}`). */
  readonly path: string;
  /** The same path in fastify's style (`/v1/subscriptions/:subscriptionId`). */
  readonly url: string;
  /** The OpenAPI operation id: the contract's id, derived from it, or the route's own. */
  readonly operationId: string;
  readonly kind: RouteKind;
  /** The contract operation the route serves (none for the subscription management routes). */
  readonly operation?: OperationId;
  /** The OpenAPI operation's summary and description. */
  readonly summary: string;
  readonly description: string;
  /** The OpenAPI operation's `x-ms-visibility`. */
  readonly visibility: Visibility;
  readonly parameters: readonly RouteParameter[];
  /** The JSON request body, when there is one. */
  readonly body?: z.ZodType;
  /** The HTTP status of success. */
  readonly status: 200 | 201 | 202 | 204;
  /** The body of a successful answer (`polling-trigger`: of a 200; 202 has none). */
  readonly response?: z.ZodType;
  /** The OpenAPI definition name of `response`, when it gets one of its own. */
  readonly responseName?: string;
  /** Answers pages (`value`, `nextLink`): `x-ms-pageable`, and the `updatenextlink` policy. */
  readonly pageable?: boolean;
  /** `webhook-trigger`: the body POSTed to the callback URL for each event. */
  readonly notification?: z.ZodType;
}
