import { SUBSCRIPTION_ID_PARAMETER, SUBSCRIPTIONS_PATH, TRIGGERS_PATH } from "../openapi/routes.js";
import type { OperationRoute } from "../routes.js";

const SUBSCRIPTION = `${SUBSCRIPTIONS_PATH}/{${SUBSCRIPTION_ID_PARAMETER}}`;

/**
 * The webhook endpoints (Swagger `{param}` form). Subscribing (one path per trigger) and
 * unsubscribing are registered from the OpenAPI route table (`CONNECTOR_ROUTES`, kinds
 * `webhook-trigger` and `unsubscribe`); this table names them for the docs and adds the
 * endpoints Power Automate does not call: the subscription, its dead letters and their replay,
 * and Intercom's pushes.
 *
 * @example
 * WEBHOOK_ROUTES.deadLetters.path; // "/v1/subscriptions/{subscriptionId}/dead-letters"
 */
export const WEBHOOK_ROUTES = {
  subscribe: { method: "POST", path: `${TRIGGERS_PATH}/{TriggerId}/subscriptions` },
  get: { method: "GET", path: SUBSCRIPTION },
  delete: { method: "DELETE", path: SUBSCRIPTION },
  deadLetters: { method: "GET", path: `${SUBSCRIPTION}/dead-letters` },
  replay: { method: "POST", path: `${SUBSCRIPTION}/dead-letters/{eventId}/replay` },
  intercomPush: { method: "POST", path: "/intercom/webhooks/{connectionId}" },
} as const satisfies Record<string, OperationRoute>;

/**
 * A webhook subscription's URL path (the `Location` of its creation, what DELETE takes).
 *
 * @example
 * subscriptionPath("0b6c…"); // "/v1/subscriptions/0b6c…"
 */
export function subscriptionPath(subscriptionId: string): string {
  return SUBSCRIPTION.replace(`{${SUBSCRIPTION_ID_PARAMETER}}`, encodeURIComponent(subscriptionId));
}

/**
 * Where Intercom's webhooks for a connection go (the URL to enter in the Intercom app's webhook
 * settings, after the service's base URL).
 *
 * @example
 * intercomPushPath(connection.id); // "/intercom/webhooks/9f1c…"
 */
export function intercomPushPath(connectionId: string): string {
  return WEBHOOK_ROUTES.intercomPush.path.replace("{connectionId}", encodeURIComponent(connectionId));
}
