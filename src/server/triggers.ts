import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { connectorError, operationIds, parseInput, TriggerInput, type TriggerId } from "../contract/index.js";
import { TRIGGERS } from "../triggers/index.js";
import { DEFAULT_POLL_BATCH_SIZE, TriggerPolls } from "../runtime/index.js";
import { addRoute } from "./add-route.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { routeFor, STATE_PARAMETER as POLL_STATE_PARAM, type ConnectorRoute } from "./openapi/index.js";

/** Events in one 200 answer, by default. */
export { DEFAULT_POLL_BATCH_SIZE };
/** Each trigger's polling route, from the route table (looked up once, not per poll). */
const POLL_ROUTES = Object.fromEntries(operationIds("trigger").map((id) => [id, routeFor("polling-trigger", id)])) as Record<TriggerId, ConnectorRoute>;

/**
 * Power Automate's polling protocol for each trigger (`x-ms-trigger: batch`), one path per
 * trigger (`CONNECTOR_ROUTES`, kind `polling-trigger`), the subscription and a receipt in the
 * opaque `state` query parameter (the runtime's `TriggerPolls`, which the MCP trigger tools share):
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
  const polls = new TriggerPolls(ctx.runtime, { batchSize: ctx.deps.pollBatchSize ?? DEFAULT_POLL_BATCH_SIZE });

  const locationOf = (request: FastifyRequest, triggerId: TriggerId, state: string): string =>
    `${baseUrlOf(request, ctx.deps.publicBaseUrl)}${POLL_ROUTES[triggerId].path}?${POLL_STATE_PARAM}=${encodeURIComponent(state)}`;

  const accepted = (reply: FastifyReply, location: string, retryAfterSeconds: number): FastifyReply =>
    reply.status(202).header("Location", location).header("Retry-After", String(Math.max(1, retryAfterSeconds))).send();

  for (const triggerId of operationIds("trigger")) {
    addRoute(app, POLL_ROUTES[triggerId], { preHandler: ctx.authenticated }, async (request, reply) => {
      const { [POLL_STATE_PARAM]: state, ...rest } = { ...(request.query as Record<string, unknown>) };
      // The trigger's filters are parameters too: read on the first poll, kept by its subscription.
      const filters: Record<string, unknown> = {};
      for (const { name } of TRIGGERS[triggerId].filters) {
        if (rest[name] !== undefined && rest[name] !== "") filters[name] = rest[name];
        delete rest[name];
      }
      const others = parseInput(TriggerInput, rest);
      if (!others.ok) return sendError(reply, others.error);
      if (state === undefined || state === "") {
        const started = await polls.start(request.connection.id, triggerId, filters);
        if (!started.ok) return sendError(reply, started.error);
        request.log.info({ subscriptionId: started.value.subscriptionId, triggerId }, "trigger subscribed");
        return accepted(reply, locationOf(request, triggerId, started.value.state), started.value.retryAfterSeconds);
      }
      if (typeof state !== "string") {
        return sendError(reply, connectorError("invalid_input", { field: POLL_STATE_PARAM, reason: "must be given once" }, { field: POLL_STATE_PARAM }));
      }
      const polled = await polls.next(request.connection.id, triggerId, state, POLL_STATE_PARAM);
      if (!polled.ok) return sendError(reply, polled.error);
      const { events, retryAfterSeconds } = polled.value;
      // Nothing new: the same state again, so the receipt it carries still holds.
      if (events.length === 0) return accepted(reply, locationOf(request, triggerId, polled.value.state), retryAfterSeconds);
      return reply.status(200).header("Location", locationOf(request, triggerId, polled.value.state)).send(events);
    });
  }
}
