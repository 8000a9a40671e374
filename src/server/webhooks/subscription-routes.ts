import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { connectorError, parseInput, type TriggerId } from "../../contract/index.js";
import { DEFAULT_DELIVERY_RETRY_POLICY, type DeliveryRetryPolicy, type OutboxEvent, type OutboxStats, type Webhook } from "../../store/index.js";
import { requireApiKey } from "../auth.js";
import { baseUrlOf } from "../base-url.js";
import { spendCallBudget } from "../budget.js";
import { sendError } from "../errors.js";
import { CONNECTOR_ROUTES, type ConnectorRoute, type RouteKind } from "../openapi/routes.js";
import { WebhookSubscriptionRequest } from "../openapi/shapes.js";
import { fastifyPath, NEXT_LINK_NAME, PAGE_ITEMS_NAME } from "../routes.js";
import type { WebhookRouteDeps } from "./deps.js";
import { WEBHOOK_ROUTES, subscriptionPath } from "./paths.js";
import { generateWebhookSecret } from "./signature.js";

/** Dead letters per page, by default and at most. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/**
 * A webhook subscription as the API shows it: never its secret (shown once, on creation).
 *
 * @example
 * webhookJson(webhook, DEFAULT_DELIVERY_RETRY_POLICY); // { id, trigger_id, callback_url, created_at, retry }
 */
export function webhookJson(webhook: Webhook, policy: DeliveryRetryPolicy): {
  id: string;
  trigger_id: TriggerId;
  callback_url: string;
  created_at: string;
  retry: { first_delay_seconds: number; max_delay_seconds: number; give_up_after_seconds: number };
} {
  return {
    id: webhook.subscriptionId,
    trigger_id: webhook.triggerId,
    callback_url: webhook.callbackUrl,
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
export function deadLetterJson(event: OutboxEvent): { id: string; attempts: number; last_error: string | null; created_at: string; payload: unknown } {
  return { id: String(event.id), attempts: event.attempts, last_error: event.lastError, created_at: event.createdAt.toISOString(), payload: event.payload };
}

/** The query of the dead-letter listing: after which event id, and how many. */
const DeadLetterQuery = z.strictObject({
  after: z.string().regex(/^\d{1,15}$/, { error: "must be an event id" }).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int({ error: "must be an integer" }).min(1, { error: "must be at least 1" }).max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` }).optional(),
});

type SubscriptionParams = { subscriptionId: string };

/** The routes of a kind in the OpenAPI route table. */
function tableRoutes(kind: RouteKind): ConnectorRoute[] {
  const routes = CONNECTOR_ROUTES.filter((route) => route.kind === kind);
  if (routes.length === 0) throw new Error(`the OpenAPI route table has no ${kind} route`);
  return routes;
}

/**
 * The webhook subscription endpoints, behind the caller's API key (and budget when given):
 *
 * - `POST /v1/triggers/{TriggerId}/subscriptions` `{"callback_url"}` (one path per trigger, from
 *   the OpenAPI route table): subscribes from now (a baseline poll of Intercom records what
 *   exists) and answers 201 with `Location` and the signing secret, shown this once;
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
 * registerSubscriptionRoutes(app, { store, engine, transportFor, budget });
 */
export function registerSubscriptionRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { store, engine } = deps;
  const policy = deps.deliveryPolicy ?? DEFAULT_DELIVERY_RETRY_POLICY;
  const preHandler = deps.budget === undefined ? [requireApiKey(store)] : [requireApiKey(store), spendCallBudget(deps.budget)];

  /** The caller's own webhook, or a 404 sent. */
  async function ownWebhook(request: FastifyRequest<{ Params: SubscriptionParams }>, reply: FastifyReply): Promise<Webhook | null> {
    const id = request.params.subscriptionId;
    const webhook = await store.getWebhook(id);
    if (webhook !== null && webhook.connectionId === request.connection.id) return webhook;
    await sendError(reply, connectorError("webhook_not_found", { id }));
    return null;
  }

  async function subscribe(request: FastifyRequest, reply: FastifyReply, triggerId: TriggerId, status: number): Promise<FastifyReply> {
    const input = parseInput(WebhookSubscriptionRequest, request.body ?? {});
    if (!input.ok) return sendError(reply, input.error);
    const subscription = await engine.subscribe(request.connection.id, triggerId);
    let created = false;
    try {
      // The baseline: what exists now is never an event. Without it the trigger cannot start from now.
      const baseline = await engine.poll(subscription.id);
      if (!baseline.ok) return sendError(reply, baseline.error);
      const secret = generateWebhookSecret();
      const webhook = await store.createWebhook({ subscriptionId: subscription.id, callbackUrl: input.value.callback_url, secret });
      created = true;
      request.log.info({ subscriptionId: webhook.subscriptionId, triggerId }, "webhook subscribed");
      return reply
        .status(status)
        .header("Location", baseUrlOf(request, deps.publicBaseUrl) + subscriptionPath(webhook.subscriptionId))
        .send({ ...webhookJson(webhook, policy), secret });
    } finally {
      if (!created) await store.deleteSubscription(subscription.id);
    }
  }

  for (const route of tableRoutes("webhook-trigger")) {
    const triggerId = route.operation as TriggerId;
    app.post(route.url, { preHandler }, (request, reply) => subscribe(request, reply, triggerId, route.status));
  }

  for (const route of tableRoutes("unsubscribe")) {
    app.delete<{ Params: SubscriptionParams }>(route.url, { preHandler }, async (request, reply) => {
      const webhook = await ownWebhook(request, reply);
      if (webhook === null) return reply;
      await store.deleteWebhook(webhook.subscriptionId);
      request.log.info({ subscriptionId: webhook.subscriptionId }, "webhook unsubscribed");
      return reply.status(route.status).send();
    });
  }

  app.get<{ Params: SubscriptionParams }>(fastifyPath(WEBHOOK_ROUTES.get.path), { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const events: OutboxStats = await store.outboxStats(webhook.subscriptionId);
    return { ...webhookJson(webhook, policy), events };
  });

  app.get<{ Params: SubscriptionParams }>(fastifyPath(WEBHOOK_ROUTES.deadLetters.path), { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const query = parseInput(DeadLetterQuery, request.query ?? {});
    if (!query.ok) return sendError(reply, query.error);
    const limit = query.value.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.value.after === undefined ? 0 : Number(query.value.after);
    const events = await store.listEvents(webhook.subscriptionId, { status: "dead", afterId, limit });
    const last = events.at(-1);
    const page: Record<string, unknown> = { [PAGE_ITEMS_NAME]: events.map(deadLetterJson) };
    if (events.length === limit && last !== undefined) {
      const base = baseUrlOf(request, deps.publicBaseUrl) + WEBHOOK_ROUTES.deadLetters.path.replace("{subscriptionId}", encodeURIComponent(webhook.subscriptionId));
      page[NEXT_LINK_NAME] = `${base}?after=${last.id}&limit=${limit}`;
    }
    return page;
  });

  app.post<{ Params: SubscriptionParams & { eventId: string } }>(fastifyPath(WEBHOOK_ROUTES.replay.path), { preHandler }, async (request, reply) => {
    const webhook = await ownWebhook(request, reply);
    if (webhook === null) return reply;
    const { eventId } = request.params;
    const event = /^\d{1,15}$/.test(eventId) ? await store.redriveEvent(webhook.subscriptionId, Number(eventId)) : null;
    if (event === null) return sendError(reply, connectorError("dead_letter_not_found", { id: webhook.subscriptionId, event_id: eventId }));
    request.log.info({ subscriptionId: webhook.subscriptionId, eventId: event.id }, "dead-lettered webhook event replayed");
    return reply.status(202).send({ id: String(event.id), status: event.status });
  });
}
