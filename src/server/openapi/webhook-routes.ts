import { OPERATIONS, type TriggerId } from "../../contract/index.js";
import {
  AFTER_PARAMETER,
  EVENT_ID_PARAMETER,
  fastifyPath,
  LIMIT_PARAMETER,
  SUBSCRIPTION_ID_PARAMETER,
  SUBSCRIPTIONS_PATH,
  TRIGGERS_PATH,
} from "./paths.js";
import type { ConnectorRoute, RouteParameter } from "./route-types.js";
import {
  DEFAULT_DEAD_LETTER_PAGE_SIZE,
  DeadLetterPage,
  MAX_DEAD_LETTER_PAGE_SIZE,
  ReplayedDeadLetter,
  WebhookSubscriptionStatus,
} from "./shapes.js";
import { webhookSubscriptionRequestFor } from "./trigger-filters.js";

// The rows of the route table for webhook triggers: subscribing (one path per trigger),
// unsubscribing, and the management of a subscription (its state, its dead letters, replay).

/**
 * The operation id of `DELETE /v1/subscriptions/{subscriptionId}`.
 *
 * @example
 * routeOf(UNSUBSCRIBE_OPERATION_ID)?.method; // "DELETE"
 */
export const UNSUBSCRIBE_OPERATION_ID = "DeleteSubscription";
/**
 * The operation id of `GET /v1/subscriptions/{subscriptionId}`.
 *
 * @example
 * routeOf(GET_SUBSCRIPTION_OPERATION_ID)?.kind; // "subscription"
 */
export const GET_SUBSCRIPTION_OPERATION_ID = "GetSubscription";
/**
 * The operation id of `GET /v1/subscriptions/{subscriptionId}/dead-letters`.
 *
 * @example
 * routeOf(LIST_DEAD_LETTERS_OPERATION_ID)?.pageable; // true
 */
export const LIST_DEAD_LETTERS_OPERATION_ID = "ListDeadLetters";
/**
 * The operation id of `POST /v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay`.
 *
 * @example
 * routeOf(REPLAY_DEAD_LETTER_OPERATION_ID)?.status; // 202
 */
export const REPLAY_DEAD_LETTER_OPERATION_ID = "ReplayDeadLetter";

const SUBSCRIPTION_PATH = `${SUBSCRIPTIONS_PATH}/{${SUBSCRIPTION_ID_PARAMETER}}`;
const DEAD_LETTERS_PATH = `${SUBSCRIPTION_PATH}/dead-letters`;

function subscriptionId(description: string, visibility?: RouteParameter["visibility"]): RouteParameter {
  return { name: SUBSCRIPTION_ID_PARAMETER, in: "path", required: true, summary: "Subscription ID", description, ...(visibility === undefined ? {} : { visibility }) };
}

/**
 * `POST /v1/triggers/{TriggerId}/subscriptions`: a webhook trigger (`x-ms-trigger: single`).
 *
 * @example
 * webhookTriggerRoute("TrigNewLead").path; // "/v1/triggers/TrigNewLead/subscriptions"
 */
export function webhookTriggerRoute(id: TriggerId): ConnectorRoute {
  const operation = OPERATIONS[id];
  const path = `${TRIGGERS_PATH}/${id}/subscriptions`;
  return {
    method: "POST",
    path,
    url: fastifyPath(path),
    operationId: id,
    kind: "webhook-trigger",
    operation: id,
    summary: operation.summary,
    description: `${operation.description} Events are pushed to the flow as they happen.`,
    // Both kinds of trigger fire on the same events; the webhook one is instant, so it comes first.
    visibility: "important",
    parameters: [],
    body: webhookSubscriptionRequestFor(id),
    status: 201,
    notification: operation.output,
  };
}

/**
 * The routes of a subscription's URL and below it, in the table's order: unsubscribe, get, list
 * dead letters, replay one.
 *
 * @example
 * subscriptionManagementRoutes().map((route) => route.operationId); // ["DeleteSubscription", "GetSubscription", "ListDeadLetters", "ReplayDeadLetter"]
 */
export function subscriptionManagementRoutes(): ConnectorRoute[] {
  const replayPath = `${DEAD_LETTERS_PATH}/{${EVENT_ID_PARAMETER}}/replay`;
  return [
    {
      method: "DELETE",
      path: SUBSCRIPTION_PATH,
      url: fastifyPath(SUBSCRIPTION_PATH),
      operationId: UNSUBSCRIBE_OPERATION_ID,
      kind: "unsubscribe",
      summary: "Stop a webhook subscription",
      description: "Stops the deliveries of a webhook trigger; Power Automate calls it when a flow is turned off or deleted.",
      visibility: "internal",
      parameters: [subscriptionId("The subscription to stop, as in the Location of its creation.", "internal")],
      status: 204,
    },
    {
      method: "GET",
      path: SUBSCRIPTION_PATH,
      url: fastifyPath(SUBSCRIPTION_PATH),
      operationId: GET_SUBSCRIPTION_OPERATION_ID,
      kind: "subscription",
      summary: "Get a webhook subscription",
      description: "Returns a webhook trigger's subscription (never its secret) with its retry policy and how many of its events wait, were delivered, or were given up on.",
      visibility: "advanced",
      parameters: [subscriptionId("The subscription's id: the last segment of the Location answered when it was made.")],
      status: 200,
      response: WebhookSubscriptionStatus,
      responseName: "Subscription_Response",
    },
    {
      method: "GET",
      path: DEAD_LETTERS_PATH,
      url: fastifyPath(DEAD_LETTERS_PATH),
      operationId: LIST_DEAD_LETTERS_OPERATION_ID,
      kind: "dead-letters",
      summary: "List dead letters",
      description: "Lists the events of a webhook subscription whose delivery was given up on, oldest first, one page at a time.",
      visibility: "advanced",
      parameters: [
        subscriptionId("The subscription whose dead letters to list."),
        {
          name: AFTER_PARAMETER,
          in: "query",
          required: false,
          summary: "After Event ID",
          description: "List the dead letters after this event id (the nextLink carries it). Absent: from the oldest.",
          visibility: "advanced",
        },
        {
          name: LIMIT_PARAMETER,
          in: "query",
          required: false,
          type: "integer",
          minimum: 1,
          maximum: MAX_DEAD_LETTER_PAGE_SIZE,
          default: DEFAULT_DEAD_LETTER_PAGE_SIZE,
          summary: "Page Size",
          description: `How many dead letters per page, 1 to ${MAX_DEAD_LETTER_PAGE_SIZE} (default ${DEFAULT_DEAD_LETTER_PAGE_SIZE}).`,
          visibility: "advanced",
        },
      ],
      status: 200,
      response: DeadLetterPage,
      responseName: `${LIST_DEAD_LETTERS_OPERATION_ID}_Page`,
      pageable: true,
    },
    {
      method: "POST",
      path: replayPath,
      url: fastifyPath(replayPath),
      operationId: REPLAY_DEAD_LETTER_OPERATION_ID,
      kind: "replay",
      summary: "Replay a dead letter",
      description: "Queues a dead-lettered event of a webhook subscription again: it is delivered next, before the events still waiting, and retried for a whole new period.",
      visibility: "advanced",
      parameters: [
        subscriptionId("The subscription the event belongs to."),
        { name: EVENT_ID_PARAMETER, in: "path", required: true, summary: "Event ID", description: "The dead letter's id, as listed (its webhook-id)." },
      ],
      status: 202,
      response: ReplayedDeadLetter,
      responseName: "Replay_Response",
    },
  ];
}
