import type { FastifyReply, FastifyRequest } from "fastify";
import { connectorError } from "../contract/index.js";
import type { ConnectionCallBudget } from "../limits/index.js";
import { sendError } from "./errors.js";

/**
 * A preHandler, after `requireApiKey`, that spends one call of the caller's connection budget:
 * every authenticated request counts (actions, trigger polls, connection calls). A spent budget
 * answers 429 `rate_limited` with `Retry-After`, and the route does nothing.
 *
 * @example
 * app.get(path, { preHandler: [requireApiKey(store), spendCallBudget(budget)] }, handler);
 */
export function spendCallBudget(budget: ConnectionCallBudget): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const decision = await budget.spend(request.connection.id);
    if (decision.allowed) return;
    const retryAfter = decision.retryAfterSeconds;
    await sendError(
      reply,
      connectorError("rate_limited", { limit: budget.callsPerWindow, window: budget.windowSeconds, retry_after: retryAfter }, { retryAfterSeconds: retryAfter }),
    );
  };
}
