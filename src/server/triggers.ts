import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { connectorError, operationIds, parseInput, TriggerInput, type TriggerId } from "../contract/index.js";
import type { Subscription } from "../store/index.js";
import { addRoute } from "./add-route.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { routeFor, STATE_PARAMETER as POLL_STATE_PARAM, type ConnectorRoute } from "./openapi/index.js";
import { KeyedLock } from "./poll-lock.js";

/** Events in one 200 answer, by default. */
export const DEFAULT_POLL_BATCH_SIZE = 100;
/** A client that takes longer than this to read a 200 answer loses its hold on the subscription. */
const SEND_HOLD_MS = 30_000;
/** Each trigger's polling route, from the route table (looked up once, not per poll). */
const POLL_ROUTES = Object.fromEntries(operationIds("trigger").map((id) => [id, routeFor("polling-trigger", id)])) as Record<TriggerId, ConnectorRoute>;

/**
 * Power Automate's polling protocol for each trigger (`x-ms-trigger: batch`), one path per
 * trigger (`CONNECTOR_ROUTES`, kind `polling-trigger`), the subscription in the `state` query parameter:
 *
 * - no `state`: subscribes from now (a baseline poll of Intercom records what exists) and answers
 *   202 with `Location` (this URL with `state`) and `Retry-After` (the poll interval);
 * - `state`: events waiting in the subscription's outbox are answered 200, as an array of the
 *   trigger's shape (oldest first, at most the batch size), with `Location`; they are acknowledged
 *   once the answer is written, so the next poll never repeats them. With none waiting, Intercom is
 *   asked only if the subscription's interval has passed since its last poll (attempts that
 *   failed count too); then 200 with what it found, or 202 with `Location` and `Retry-After` (the
 *   seconds until the next Intercom poll is due).
 *
 * Polls of one subscription run one at a time in this process. Every poll spends one call of
 * the connection's budget, like any request.
 *
 * @example
 * registerTriggerRoutes(app, ctx);
 * // GET /v1/triggers/TrigNewLead/poll → 202, Location: …/v1/triggers/TrigNewLead/poll?state=<id>
 */
export function registerTriggerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store, engine } = ctx.deps;
  const batchSize = ctx.deps.pollBatchSize ?? DEFAULT_POLL_BATCH_SIZE;
  const intervalMs = engine.pollIntervalSeconds * 1000;
  const locks = new KeyedLock();
  /** When this process last asked Intercom for each subscription (successful or not). */
  const attempted = new Map<string, number>();

  const locationOf = (request: FastifyRequest, triggerId: TriggerId, subscriptionId: string): string =>
    `${baseUrlOf(request, ctx.deps.publicBaseUrl)}${POLL_ROUTES[triggerId].path}?${POLL_STATE_PARAM}=${encodeURIComponent(subscriptionId)}`;

  const accepted = (reply: FastifyReply, location: string, retryAfterSeconds: number): FastifyReply =>
    reply.status(202).header("Location", location).header("Retry-After", String(Math.max(1, retryAfterSeconds))).send();

  async function subscribe(request: FastifyRequest, reply: FastifyReply, triggerId: TriggerId): Promise<FastifyReply> {
    const subscription = await engine.subscribe(request.connection.id, triggerId);
    attempted.set(subscription.id, ctx.now());
    const baseline = await engine.poll(subscription.id);
    if (!baseline.ok) {
      // Without a baseline the trigger cannot start from now: nothing is kept, the caller retries.
      attempted.delete(subscription.id);
      await store.deleteSubscription(subscription.id);
      return sendError(reply, baseline.error);
    }
    request.log.info({ subscriptionId: subscription.id, triggerId }, "trigger subscribed");
    return accepted(reply, locationOf(request, triggerId, subscription.id), engine.pollIntervalSeconds);
  }

  async function poll(request: FastifyRequest, reply: FastifyReply, subscription: Subscription): Promise<FastifyReply> {
    const release = await locks.acquire(subscription.id);
    let handedOver = false;
    try {
      let events = await store.pendingEvents(subscription.id, batchSize);
      let current = subscription;
      if (events.length === 0) {
        const now = ctx.now();
        const fresh = (await store.getSubscription(subscription.id)) ?? subscription;
        const lastAttempt = attempted.get(subscription.id) ?? Number.NEGATIVE_INFINITY;
        if (fresh.nextPollAt.getTime() <= now && now - lastAttempt >= intervalMs) {
          attempted.set(subscription.id, now);
          const report = await engine.poll(subscription.id);
          if (!report.ok) return sendError(reply, report.error);
          events = await store.pendingEvents(subscription.id, batchSize);
        }
        current = (await store.getSubscription(subscription.id)) ?? fresh;
      }
      const location = locationOf(request, subscription.triggerId, subscription.id);
      if (events.length === 0) {
        const dueIn = Math.max(current.nextPollAt.getTime(), (attempted.get(subscription.id) ?? 0) + intervalMs) - ctx.now();
        return accepted(reply, location, Math.ceil(dueIn / 1000));
      }
      handedOver = true;
      const ids = events.map((e) => e.id);
      afterSend(reply, (written) => {
        const ack = written ? store.ackEvents(subscription.id, ids) : Promise.resolve(0);
        ack
          .catch((error: unknown) => request.log.error({ err: error, subscriptionId: subscription.id }, "acknowledging delivered events failed; they will be sent again"))
          .finally(release);
      });
      return reply.status(200).header("Location", location).send(events.map((e) => e.payload));
    } finally {
      if (!handedOver) release();
    }
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
      const subscription = await store.getSubscription(state);
      // A webhook's subscription delivers by pushing; polling it would take its events away.
      if (subscription === null || (await store.getWebhook(subscription.id)) !== null) return sendError(reply, connectorError("subscription_not_found", { id: state }, { field: POLL_STATE_PARAM }));
      if (subscription.connectionId !== request.connection.id) return sendError(reply, connectorError("forbidden", {}, { field: POLL_STATE_PARAM }));
      if (subscription.triggerId !== triggerId) {
        return sendError(
          reply,
          connectorError("invalid_input", { field: POLL_STATE_PARAM, reason: `names a subscription of ${subscription.triggerId}, not ${triggerId}` }, { field: POLL_STATE_PARAM }),
        );
      }
      return poll(request, reply, subscription);
    });
  }
}

/**
 * Calls `done(true)` once the answer has been written out, or `done(false)` if the connection
 * closed first (or the client has not read it within `SEND_HOLD_MS`). Exactly once.
 */
function afterSend(reply: FastifyReply, done: (written: boolean) => void): void {
  const raw = reply.raw;
  let finished = false;
  let called = false;
  const call = (written: boolean): void => {
    if (called) return;
    called = true;
    clearTimeout(timer);
    done(written);
  };
  const timer = setTimeout(() => call(finished), SEND_HOLD_MS);
  timer.unref();
  raw.once("finish", () => {
    finished = true;
    call(true);
  });
  raw.once("close", () => call(finished));
}
