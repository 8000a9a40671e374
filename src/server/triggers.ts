import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { connectorError, operationIds, parseInput, TriggerInput, type TriggerId } from "../contract/index.js";
import type { OutboxEvent, Subscription } from "../store/index.js";
import { addRoute } from "./add-route.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { routeFor, STATE_PARAMETER as POLL_STATE_PARAM, type ConnectorRoute } from "./openapi/index.js";
import { POLL_STATE_KEY_PURPOSE, PollStateCodec, type PollState } from "./poll-state.js";

/** Events in one 200 answer, by default. */
export const DEFAULT_POLL_BATCH_SIZE = 100;
/** Each trigger's polling route, from the route table (looked up once, not per poll). */
const POLL_ROUTES = Object.fromEntries(operationIds("trigger").map((id) => [id, routeFor("polling-trigger", id)])) as Record<TriggerId, ConnectorRoute>;

/**
 * Power Automate's polling protocol for each trigger (`x-ms-trigger: batch`), one path per
 * trigger (`CONNECTOR_ROUTES`, kind `polling-trigger`), the subscription and a receipt in the
 * opaque `state` query parameter (see `PollState`):
 *
 * - no `state`: subscribes from now (a baseline poll of Intercom records what exists) and answers
 *   202 with `Location` (this URL with `state`) and `Retry-After` (the poll interval);
 * - `state`: first, the events of the batch that state's answer carried are acknowledged (Power
 *   Automate polls a `Location` only once it has processed the answer that gave it). Then the
 *   events still waiting in the subscription's outbox are answered 200, as an array of the
 *   trigger's shape (oldest first, at most the batch size), with a `Location` whose state is the
 *   receipt for them. A 200 that never reached the flow is answered again to the next poll with
 *   the old state: nothing is lost, and nothing the flow processed is sent twice. With none
 *   waiting, Intercom is asked only when the subscription's next poll is due (failed attempts
 *   count: Intercom is asked at most once per interval); then 200 with what it found, or 202 with
 *   `Location` and `Retry-After` (the seconds until the next Intercom poll is due).
 *
 * A subscription no flow polled for `TRIGGER_SUBSCRIPTION_IDLE_SECONDS` has expired (Power Automate
 * abandons the old one each time a flow is re-saved): its state answers 410
 * `subscription_expired`, as does a state whose subscription is gone. The state is signed
 * (`PollStateCodec`): an altered or forged one is 400 `invalid_input` naming `state`, before any read.
 *
 * Every decision is made in the store, so any number of instances may answer the polls of one
 * subscription: a poll reserves the interval's Intercom call (`TriggerEngine.pollIfDue`, a compare-and-set of the
 * subscription's cursor version), and one instance wins it. A poll that scans Intercom (the
 * subscribing one's baseline, a due one) spends one unit of the connection's budget, shared with
 * every subscription of the same trigger that the scan serves; one answered from the outbox costs nothing.
 *
 * @example
 * registerTriggerRoutes(app, ctx);
 * // GET /v1/triggers/TrigNewLead/poll → 202, Location: …/v1/triggers/TrigNewLead/poll?state=poll.eyJz…
 */
export function registerTriggerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store, engine } = ctx.runtime;
  const batchSize = ctx.deps.pollBatchSize ?? DEFAULT_POLL_BATCH_SIZE;
  const states = new PollStateCodec(store.deriveKey(POLL_STATE_KEY_PURPOSE));

  const locationOf = (request: FastifyRequest, triggerId: TriggerId, state: PollState): string =>
    `${baseUrlOf(request, ctx.deps.publicBaseUrl)}${POLL_ROUTES[triggerId].path}?${POLL_STATE_PARAM}=${encodeURIComponent(states.encode(state))}`;

  const accepted = (reply: FastifyReply, location: string, retryAfterSeconds: number): FastifyReply =>
    reply.status(202).header("Location", location).header("Retry-After", String(Math.max(1, retryAfterSeconds))).send();

  async function subscribe(request: FastifyRequest, reply: FastifyReply, triggerId: TriggerId): Promise<FastifyReply> {
    const subscribed = await ctx.runtime.subscribe(request.connection.id, triggerId, { kind: "polling" });
    if (!subscribed.ok) return sendError(reply, subscribed.error);
    const subscription = subscribed.value;
    const baseline = await engine.poll(subscription.id);
    if (!baseline.ok) {
      // Without a baseline the trigger cannot start from now: nothing is kept, the caller retries.
      await store.deleteSubscription(subscription.id);
      return sendError(reply, baseline.error);
    }
    request.log.info({ subscriptionId: subscription.id, triggerId }, "trigger subscribed");
    return accepted(reply, locationOf(request, triggerId, { subscriptionId: subscription.id, ackedThrough: null }), engine.pollIntervalSeconds);
  }

  /**
   * The events waiting for the flow, oldest first: those up to `ackedThrough` (the flow has them)
   * are acknowledged first. One read when there is nothing to acknowledge, the usual case.
   */
  async function waitingEvents(subscriptionId: string, ackedThrough: number | null): Promise<OutboxEvent[]> {
    for (;;) {
      const pending = await store.pendingEvents(subscriptionId, batchSize);
      const received = ackedThrough === null ? [] : pending.filter((e) => e.id <= ackedThrough).map((e) => e.id);
      if (received.length === 0) return pending;
      await store.ackEvents(subscriptionId, received);
    }
  }

  async function poll(request: FastifyRequest, reply: FastifyReply, subscription: Subscription, state: PollState): Promise<FastifyReply> {
    let events = await waitingEvents(subscription.id, state.ackedThrough);
    let nextPollAt = subscription.nextPollAt;
    if (events.length === 0) {
      const polled = await engine.pollIfDue(subscription);
      if (polled !== null && !polled.ok) return sendError(reply, polled.error);
      if (polled !== null) events = await store.pendingEvents(subscription.id, batchSize);
      // Polled here or elsewhere meanwhile: the next poll moved on.
      if (nextPollAt.getTime() <= ctx.now()) nextPollAt = (await store.getSubscription(subscription.id))?.nextPollAt ?? nextPollAt;
    }
    const last = events.at(-1);
    if (last === undefined) {
      return accepted(reply, locationOf(request, subscription.triggerId, state), Math.ceil((nextPollAt.getTime() - ctx.now()) / 1000));
    }
    const next = locationOf(request, subscription.triggerId, { subscriptionId: subscription.id, ackedThrough: last.id });
    return reply.status(200).header("Location", next).send(events.map((e) => e.payload));
  }

  for (const triggerId of operationIds("trigger")) {
    addRoute(app, POLL_ROUTES[triggerId], { preHandler: ctx.authenticated }, async (request, reply) => {
      const { [POLL_STATE_PARAM]: state, ...rest } = { ...(request.query as Record<string, unknown>) };
      const others = parseInput(TriggerInput, rest);
      if (!others.ok) return sendError(reply, others.error);
      if (state === undefined || state === "") return subscribe(request, reply, triggerId);
      if (typeof state !== "string") {
        return sendError(reply, connectorError("invalid_input", { field: POLL_STATE_PARAM, reason: "must be given once" }, { field: POLL_STATE_PARAM }));
      }
      // Checked before anything is read: a forged or altered state costs nothing.
      const decoded = states.decode(state, POLL_STATE_PARAM);
      if (!decoded.ok) return sendError(reply, decoded.error);
      const subscription = await store.getSubscription(decoded.value.subscriptionId);
      // A state this service signed names a polling subscription: gone now (expired and swept, or deleted).
      if (subscription === null) return sendError(reply, connectorError("subscription_expired", {}, { field: POLL_STATE_PARAM }));
      // Webhook and library subscriptions deliver otherwise; polling them would take their events away.
      if (subscription.kind !== "polling") return sendError(reply, connectorError("subscription_not_found", { id: decoded.value.subscriptionId }, { field: POLL_STATE_PARAM }));
      if (subscription.connectionId !== request.connection.id) return sendError(reply, connectorError("forbidden", {}, { field: POLL_STATE_PARAM }));
      if (subscription.triggerId !== triggerId) {
        return sendError(
          reply,
          connectorError("invalid_input", { field: POLL_STATE_PARAM, reason: `names a subscription of ${subscription.triggerId}, not ${triggerId}` }, { field: POLL_STATE_PARAM }),
        );
      }
      // Abandoned by its flow (Power Automate made a new one): never its old events, whatever remains.
      if (engine.isExpired(subscription)) return sendError(reply, connectorError("subscription_expired", {}, { field: POLL_STATE_PARAM }));
      await engine.recordPolled(subscription);
      return poll(request, reply, subscription, decoded.value);
    });
  }
}
