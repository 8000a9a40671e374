import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { connectorError, type ConnectorError } from "../contract/index.js";
import { requireAdmin } from "./admin.js";
import type { PreHandler, RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { METRICS_PATH, READY_PATH } from "./routes.js";

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Why a request may not read the metrics with the metrics token, or `null`. */
function tokenRefusal(request: FastifyRequest, token: string): ConnectorError | null {
  const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
  // Hashing first gives equal lengths, so the comparison's time says nothing about the token.
  return given !== undefined && timingSafeEqual(sha256(given), sha256(token)) ? null : connectorError("metrics_unauthorized", {});
}

/**
 * `GET /ready` (no key: the store answers and its schema is this release's, else 503
 * `not_ready`), `GET /metrics` (Prometheus text of `runtime.metrics`, behind `METRICS_TOKEN` or
 * the admin API's rule), and the hook that counts every answered request by route and status.
 *
 * @example
 * registerOperabilityRoutes(app, ctx);
 * // curl -H "Authorization: Bearer $METRICS_TOKEN" http://127.0.0.1:3000/metrics
 */
export function registerOperabilityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { metrics } = ctx.runtime;
  app.addHook("onResponse", async (request, reply) => {
    // The route's pattern, never the raw URL: ids would make a label per request.
    metrics.request(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get(READY_PATH, async (_request, reply) => {
    const ready = await ctx.runtime.readiness();
    if (!ready.ok) return sendError(reply, ready.error);
    return { status: "ready", schema_version: ready.value.version };
  });
  const token = ctx.deps.metricsToken;
  // Without a token of its own, the metrics are the operator's, as creating connections is.
  const guard: PreHandler =
    token === undefined || token === ""
      ? requireAdmin(ctx.deps.adminKey, { demoMode: ctx.deps.demoMode === true })
      : async (request, reply) => {
          const refusal = tokenRefusal(request, token);
          if (refusal !== null) await sendError(reply, refusal);
        };
  app.get(METRICS_PATH, { preHandler: guard }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
