import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { connectorError, operationIds, parseInput, type TriggerId } from "../../contract/index.js";
import type { SubscriptionOverview } from "../../runtime/overview.js";
import type { DeliveryAttemptRecord, OutboxEvent } from "../../store/index.js";
import { addRoute } from "../add-route.js";
import { sendError } from "../errors.js";
import { redactCallbackUrl } from "../webhooks/subscription-routes.js";
import { subscribeWebhook } from "../webhooks/subscribe.js";
import type { ConsoleCaller } from "./guard.js";
import type { ConsoleContext } from "./context.js";
import { CONSOLE_ROUTES } from "./routes.js";

type ConnectionParams = { connectionId: string };
type SubscriptionParams = ConnectionParams & { subscriptionId: string };

const TRIGGER_IDS = operationIds("trigger");
const WebhookForm = z.strictObject({ trigger_id: z.enum(TRIGGER_IDS as [TriggerId, ...TriggerId[]]), callback_url: z.string() });
const EventsQuery = z.strictObject({
  status: z.enum(["pending", "delivered", "dead"]).optional(),
  after: z.string().regex(/^\d{1,15}$/, "must be an event id").optional(),
  limit: z.string().regex(/^\d{1,3}$/, "must be 1 to 500").optional(),
});

const AttemptsQuery = z.strictObject({
  event: z.string().regex(/^\d{1,15}$/, "must be an event id").optional(),
  after: z.string().regex(/^\d{1,15}$/, "must be an attempt id").optional(),
  limit: z.string().regex(/^\d{1,3}$/, "must be 1 to 500").optional(),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A subscription as the console shows it (the callback URL's query values redacted, as the API shows them). */
export function subscriptionJson(s: SubscriptionOverview): Record<string, unknown> {
  return {
    id: s.id,
    trigger_id: s.triggerId,
    kind: s.kind,
    state: s.state,
    cursor_at: iso(s.cursorAt),
    last_poll_at: iso(s.lastPollAt),
    next_poll_at: iso(s.nextPollAt),
    late_seconds: Math.round(s.lateMs / 1000),
    events: s.events,
    last_delivery:
      s.lastDelivery === null
        ? null
        : { event_id: String(s.lastDelivery.eventId), status: s.lastDelivery.status, at: iso(s.lastDelivery.at), attempts: s.lastDelivery.attempts, error: s.lastDelivery.error },
    callback_url: s.callbackUrl === null ? null : redactCallbackUrl(s.callbackUrl),
    created_at: iso(s.createdAt),
  };
}

/**
 * An outbox event as the run history shows it: its status, failed attempts, last error and
 * times, and the payload the trigger emitted.
 *
 * @example
 * eventJson(event); // { id: "12", status: "dead", attempts: 17, last_error: "HTTP 500", … }
 */
export function eventJson(event: OutboxEvent): Record<string, unknown> {
  return {
    id: String(event.id),
    status: event.status,
    attempts: event.attempts,
    last_error: event.lastError,
    created_at: event.createdAt.toISOString(),
    next_attempt_at: event.nextAttemptAt.toISOString(),
    delivered_at: event.deliveredAt?.toISOString() ?? null,
    payload: event.payload,
  };
}

/**
 * A delivery attempt as the run history shows it: when, which event, the receiver's status code
 * (`null`: no answer), the latency and the error.
 *
 * @example
 * attemptJson(attempt); // { id: "3", event_id: "12", attempted_at: "…", status_code: 500, latency_ms: 41, error: "HTTP 500" }
 */
export function attemptJson(attempt: DeliveryAttemptRecord): Record<string, unknown> {
  return {
    id: String(attempt.id),
    event_id: String(attempt.eventId),
    attempted_at: attempt.attemptedAt.toISOString(),
    status_code: attempt.statusCode,
    latency_ms: attempt.latencyMs,
    error: attempt.error,
  };
}

/**
 * The console's subscription endpoints for one connection: the list (`StoreOverview`), a webhook
 * subscription made as the API makes it (`subscribeWebhook`: the callback policy, the baseline
 * scan, the secret shown once), pause and resume (`Store.setSubscriptionState`), delete (a
 * webhook with its subscription), the run history (`Store.listEvents`) and replay of dead
 * letters, one or all (`Store.redriveEvent`, as `ReplayDeadLetter` does), and every delivery attempt
 * (`Store.listDeliveryAttempts`: time, event, status code, latency, error).
 *
 * @example
 * registerConsoleSubscriptionRoutes(app, ctx);
 */
export function registerConsoleSubscriptionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { runtime, gate, overview } = ctx;
  const store = runtime.store;

  /** The subscription a request names, if it is the connection's; else a 404 sent. */
  async function own(caller: ConsoleCaller, params: SubscriptionParams, reply: FastifyReply): Promise<string | null> {
    const connection = await gate.connection(caller, params.connectionId, reply);
    if (connection === null) return null;
    const subscription = await store.getSubscription(params.subscriptionId);
    if (subscription !== null && subscription.connectionId === connection.id) return subscription.id;
    await sendError(reply, connectorError("not_found", { resource: "subscription", id: params.subscriptionId }));
    return null;
  }

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.subscriptions, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    return { value: (await overview.subscriptions(connection.id)).map(subscriptionJson) };
  });

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.subscribeWebhook, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const form = parseInput(WebhookForm, request.body ?? {});
    if (!form.ok) return sendError(reply, form.error);
    const made = await subscribeWebhook({ runtime, guard: ctx.guard }, connection.id, form.value.trigger_id, { callback_url: form.value.callback_url });
    if (!made.ok) return sendError(reply, made.error);
    request.log.info({ subscriptionId: made.value.webhook.subscriptionId, triggerId: form.value.trigger_id }, "webhook subscribed");
    return reply.status(201).send({ id: made.value.webhook.subscriptionId, trigger_id: form.value.trigger_id, secret: made.value.secret });
  });

  for (const [route, state] of [
    [CONSOLE_ROUTES.pauseSubscription, "stopped"],
    [CONSOLE_ROUTES.resumeSubscription, "active"],
  ] as const) {
    addRoute<{ Params: SubscriptionParams }>(app, route, {}, async (request, reply) => {
      const caller = await gate.check(request, reply, { change: true });
      if (caller === null) return reply;
      const id = await own(caller, request.params, reply);
      if (id === null) return reply;
      const changed = await store.setSubscriptionState(id, state);
      if (changed === null) return sendError(reply, connectorError("not_found", { resource: "subscription", id }));
      request.log.info({ subscriptionId: id, state }, "subscription state changed");
      return { id, state: changed.state };
    });
  }

  addRoute<{ Params: SubscriptionParams }>(app, CONSOLE_ROUTES.deleteSubscription, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const id = await own(caller, request.params, reply);
    if (id === null) return reply;
    // A webhook goes with its subscription; another kind is the subscription alone.
    if (!(await store.deleteWebhook(id))) await store.deleteSubscription(id);
    request.log.info({ subscriptionId: id }, "subscription deleted");
    return reply.status(204).send();
  });

  addRoute<{ Params: SubscriptionParams }>(app, CONSOLE_ROUTES.events, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const query = parseInput(EventsQuery, request.query ?? {});
    if (!query.ok) return sendError(reply, query.error);
    const id = await own(caller, request.params, reply);
    if (id === null) return reply;
    const limit = Math.min(500, Math.max(1, Number(query.value.limit ?? "100")));
    const events = await overview.events(id, {
      limit,
      afterId: query.value.after === undefined ? 0 : Number(query.value.after),
      ...(query.value.status === undefined ? {} : { status: query.value.status }),
    });
    const last = events[events.length - 1];
    return { value: events.map(eventJson), next_after: events.length === limit && last !== undefined ? String(last.id) : null };
  });

  addRoute<{ Params: SubscriptionParams }>(app, CONSOLE_ROUTES.attempts, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const query = parseInput(AttemptsQuery, request.query ?? {});
    if (!query.ok) return sendError(reply, query.error);
    const id = await own(caller, request.params, reply);
    if (id === null) return reply;
    const limit = Math.min(500, Math.max(1, Number(query.value.limit ?? "100")));
    const attempts = await store.listDeliveryAttempts(id, {
      limit,
      afterId: query.value.after === undefined ? 0 : Number(query.value.after),
      ...(query.value.event === undefined ? {} : { eventId: Number(query.value.event) }),
    });
    const last = attempts[attempts.length - 1];
    return { value: attempts.map(attemptJson), next_after: attempts.length === limit && last !== undefined ? String(last.id) : null };
  });

  addRoute<{ Params: SubscriptionParams & { eventId: string } }>(app, CONSOLE_ROUTES.replay, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const id = await own(caller, request.params, reply);
    if (id === null) return reply;
    const { eventId } = request.params;
    const event = /^\d{1,15}$/.test(eventId) ? await store.redriveEvent(id, Number(eventId)) : null;
    if (event === null) return sendError(reply, connectorError("dead_letter_not_found", { id, event_id: eventId }));
    request.log.info({ subscriptionId: id, eventId: event.id }, "dead-lettered event replayed");
    return reply.status(202).send({ id: String(event.id), status: event.status });
  });

  addRoute<{ Params: SubscriptionParams }>(app, CONSOLE_ROUTES.replayAll, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const id = await own(caller, request.params, reply);
    if (id === null) return reply;
    const replayed: string[] = [];
    // Page through the dead letters in id order; each replayed one leaves the dead list.
    for (let after = 0; ; ) {
      const dead = await store.listEvents(id, { status: "dead", afterId: after, limit: 100 });
      for (const event of dead) if ((await store.redriveEvent(id, event.id)) !== null) replayed.push(String(event.id));
      const last = dead[dead.length - 1];
      if (last === undefined || dead.length < 100) break;
      after = last.id;
    }
    request.log.info({ subscriptionId: id, count: replayed.length }, "dead-lettered events replayed");
    return reply.status(202).send({ replayed });
  });
}
