import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { connectorError, parseInput, type TriggerId } from "../../contract/index.js";
import { DEFAULT_DELIVERY_RETRY_POLICY, type DeliveryRetryPolicy, type OutboxEvent, type OutboxStats, type Webhook } from "../../store/index.js";
import { addRoute } from "../add-route.js";
import { requireApiKey } from "../auth.js";
import { baseUrlOf } from "../base-url.js";
import { sendError } from "../errors.js";
import {
  AFTER_PARAMETER,
  DEFAULT_DEAD_LETTER_PAGE_SIZE,
  DeadLetterQuery,
  fillPath,
  LIMIT_PARAMETER,
  NEXT_LINK_PROPERTY,
  PAGE_ITEMS_PROPERTY,
  routeFor,
  routesOf,
  SUBSCRIPTION_ID_PARAMETER,
  type DeadLetter,
  type DeadLetterPage,
  type WebhookSubscription,
  type WebhookSubscriptionStatus,
} from "../openapi/index.js";
import { CallbackGuard, PUBLIC_CALLBACKS_ONLY } from "./callback-policy.js";
import type { WebhookRouteDeps } from "./deps.js";
import { subscribeWebhook } from "./subscribe.js";

/**
 * What stands for each query value of a callback URL the API shows.
 *
 * @example
 * new URL(shown.callback_url).searchParams.get("sig") === REDACTED_QUERY_VALUE; // true
 */
export const REDACTED_QUERY_VALUE = "redacted";

/**
 * A callback URL as the API shows it: each query value replaced by `redacted`, the names kept so
 * that the owner can tell the URL. The query of a Power Automate callback URL (`sig=`) alone
 * authorises triggering the flow, and anyone holding the connection's API key may read a
 * subscription; Power Automate itself never reads it back.
 *
 * @example
 * redactCallbackUrl("https://prod-01.example.com/invoke?api-version=2016-06-01&sig=abc"); // "https://prod-01.example.com/invoke?api-version=redacted&sig=redacted"
 */
export function redactCallbackUrl(callbackUrl: string): string {
  // Node's URL error carries its input: one that escaped into a log would hold the query.
  if (!URL.canParse(callbackUrl)) throw new TypeError("a stored callback URL does not parse");
  const url = new URL(callbackUrl);
  if (url.search === "" && url.hash === "") return callbackUrl;
  const redacted = new URLSearchParams();
  for (const name of new Set(url.searchParams.keys())) redacted.append(name, REDACTED_QUERY_VALUE);
  url.search = redacted.toString();
  url.hash = "";
  return url.href;
}

/**
 * A webhook subscription as the API shows it: never its secret (shown once, on creation), and its
 * callback URL's query redacted (`redactCallbackUrl`).
 *
 * @example
 * webhookJson(webhook, DEFAULT_DELIVERY_RETRY_POLICY); // { id, trigger_id, callback_url, created_at, retry }
 */
export function webhookJson(webhook: Webhook, policy: DeliveryRetryPolicy): WebhookSubscription {
  return {
    id: webhook.subscriptionId,
    trigger_id: webhook.triggerId,
    callback_url: redactCallbackUrl(webhook.callbackUrl),
    created_at: webhook.createdAt.toISOString(),
    retry: {
      first_delay_seconds: policy.firstDelayMs / 1000,
      max_delay_seconds: policy.maxDelayMs / 1000,
      give_up_after_seconds: policy.giveUpAfterMs / 1000,
    },
  };
}

/**
 * A dead-lettered event as the API shows it. `id` is the `webhook-id` its deliveries carried.
 *
 * @example
 * deadLetterJson(event); // { id: "1042", attempts: 17, last_error: "HTTP 500", created_at, payload }
 */
export function deadLetterJson(event: OutboxEvent): DeadLetter {
  // The payload is what the trigger emitted: one of the contract's output objects.
  return { id: String(event.id), attempts: event.attempts, last_error: event.lastError, created_at: event.createdAt.toISOString(), payload: event.payload as DeadLetter["payload"] };
}

type SubscriptionParams = { subscriptionId: string };

/**
 * The webhook subscription endpoints, behind the caller's API key (a subscription's baseline scan
 * spends one unit of the connection's budget, like every scan), each
 * registered where the connector's route table (`CONNECTOR_ROUTES`) puts it:
 *
 * - `POST /v1/triggers/{TriggerId}/subscriptions` `{"callback_url"}` (one path per trigger):
 *   refuses (400 `invalid_input`) a callback URL the callback policy forbids (`deps.callbackPolicy`,
 *   by default public addresses only), else subscribes from now (a baseline poll of Intercom
 *   records what exists) and answers 201 with `Location` and the signing secret, shown this once;
 * - `GET` and `DELETE /v1/subscriptions/{subscriptionId}`: the subscription with its outbox
 *   counts; delete (204) stops its polling and deliveries;
 * - `GET /v1/subscriptions/{subscriptionId}/dead-letters?after=&limit=`: the events given up on,
 *   oldest first, paged with `nextLink`;
 * - `POST /v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay`: puts one back in the
 *   queue (202): it is delivered next, before the events still waiting, and retried for a whole
 *   new period.
 *
 * Another connection's subscription is answered as unknown (404 `webhook_not_found`).
 *
 * @example
 * registerSubscriptionRoutes(app, { runtime });
 */
export function registerSubscriptionRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { store } = deps.runtime;
  const policy = deps.deliveryPolicy ?? DEFAULT_DELIVERY_RETRY_POLICY;
  const guard = new CallbackGuard(deps.callbackPolicy ?? PUBLIC_CALLBACKS_ONLY);
  const preHandler = [requireApiKey(deps.runtime)];
  const unsubscribeRoute = routeFor("unsubscribe");
  const subscriptionRoute = routeFor("subscription");
  const deadLettersRoute = routeFor("dead-letters");
  const replayRoute = routeFor("replay");

  /** The caller's own webhook, or a 404 sent. */
  async function ownWebhook(request: FastifyRequest<{ Params: SubscriptionParams }>, reply: FastifyReply): Promise<Webhook | null> {
    const id = request.params.subscriptionId;
    const webhook = await store.getWebhook(id);
    if (webhook !== null && webhook.connectionId === request.connection.id) return webhook;
    await sendError(reply, connectorError("webhook_not_found", { id }));
    return null;
  }

  async function subscribe(request: FastifyRequest, reply: FastifyReply, triggerId: TriggerId, status: number): Promise<FastifyReply> {
    const made = await subscribeWebhook({ runtime: deps.runtime, guard }, request.connection.id, triggerId, request.body);
    if (!made.ok) return sendError(reply, made.error);
    const { webhook, secret } = made.value;
    request.log.info({ subscriptionId: webhook.subscriptionId, triggerId }, "webhook subscribed");
    return reply
      .status(status)
      // The subscription's URL: what Power Automate DELETEs to stop.
      .header("Location", baseUrlOf(request, deps.publicBaseUrl) + fillPath(unsubscribeRoute.path, { [SUBSCRIPTION_ID_PARAMETER]: webhook.subscriptionId }))
      .send({ ...webhookJson(webhook, policy), secret });
  }

  const webhookTriggers = routesOf("webhook-trigger");
  if (webhookTriggers.length === 0) throw new Error("the route table has no webhook-trigger route");
  for (const route of webhookTriggers) {
    const triggerId = route.operation as TriggerId;
    addRoute(app, route, { preHandler }, (request, reply) => subscribe(request, reply, triggerId, route.status));
  }

  addRoute<{ Params: SubscriptionParams }>(app, unsubscribeRoute, { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    await store.deleteWebhook(webhook.subscriptionId);
    request.log.info({ subscriptionId: webhook.subscriptionId }, "webhook unsubscribed");
    return reply.status(unsubscribeRoute.status).send();
  });

  addRoute<{ Params: SubscriptionParams }>(app, subscriptionRoute, { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const events: OutboxStats = await store.outboxStats(webhook.subscriptionId);
    const answer: WebhookSubscriptionStatus = { ...webhookJson(webhook, policy), events };
    return reply.status(subscriptionRoute.status).send(answer);
  });

  addRoute<{ Params: SubscriptionParams }>(app, deadLettersRoute, { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const query = parseInput(DeadLetterQuery, request.query ?? {});
    if (!query.ok) return sendError(reply, query.error);
    const limit = query.value.limit ?? DEFAULT_DEAD_LETTER_PAGE_SIZE;
    const afterId = query.value.after === undefined ? 0 : Number(query.value.after);
    const events = await store.listEvents(webhook.subscriptionId, { status: "dead", afterId, limit });
    const last = events.at(-1);
    const items = events.map(deadLetterJson);
    // A full page may have more behind it; the next page starts after its last event.
    const page: DeadLetterPage =
      events.length === limit && last !== undefined
        ? {
            [PAGE_ITEMS_PROPERTY]: items,
            [NEXT_LINK_PROPERTY]: `${baseUrlOf(request, deps.publicBaseUrl)}${fillPath(deadLettersRoute.path, { [SUBSCRIPTION_ID_PARAMETER]: webhook.subscriptionId })}?${AFTER_PARAMETER}=${last.id}&${LIMIT_PARAMETER}=${limit}`,
          }
        : { [PAGE_ITEMS_PROPERTY]: items };
    return reply.status(deadLettersRoute.status).send(page);
  });

  addRoute<{ Params: SubscriptionParams & { eventId: string } }>(app, replayRoute, { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const { eventId } = request.params;
    const event = /^\d{1,15}$/.test(eventId) ? await store.redriveEvent(webhook.subscriptionId, Number(eventId)) : null;
    if (event === null) return sendError(reply, connectorError("dead_letter_not_found", { id: webhook.subscriptionId, event_id: eventId }));
    request.log.info({ subscriptionId: webhook.subscriptionId, eventId: event.id }, "dead-lettered webhook event replayed");
    // `ReplayedDeadLetter`: the store has put the event back in the queue, pending.
    return reply.status(replayRoute.status).send({ id: String(event.id), status: event.status });
  });
}
