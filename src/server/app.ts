import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { Connection } from "../store/index.js";
import { registerActionRoutes } from "./actions.js";
import { limitHosts } from "./allowed-hosts.js";
import { requireApiKey } from "./auth.js";
import { registerConnectionRoutes } from "./connections.js";
import { registerConsole } from "./console/index.js";
import type { RouteContext, ServerDeps } from "./context.js";
import { charsetRefusal } from "./charset.js";
import { answerClientError, answerFrameworkError, answerUnmetExpectation, installErrorHandling, refuseMissingHost } from "./errors.js";
import { OneLinePerRequest, serviceLoggerOptions } from "./logger.js";
import { registerMcpRoute } from "./mcp-route.js";
import { registerOpenApiRoute } from "./openapi-route.js";
import { registerOperabilityRoutes } from "./operability.js";
import { HEALTH_PATH } from "./routes.js";
import { registerTriggerRoutes } from "./triggers.js";
import { registerWebhookRoutes } from "./webhooks/index.js";

/**
 * Builds the connector's HTTP service (fastify 5, not yet listening): connections, the five
 * actions, the Power Automate polling triggers, the webhook subscriptions and Intercom's pushes
 * (`webhooks/`; their deliveries are made by a `WebhookDeliveryWorker` started beside the app),
 * the MCP server for AI agents (`POST /mcp`, `mcp-route.ts`),
 * health and the OpenAPI document. Every route but `/health`, `/openapi.json` and Intercom's
 * signed pushes needs a connection's API key in `X-API-Key`; what reaches Intercom (an action, a
 * trigger scan) spends one unit of the connection's budget in the runtime, after validation.
 * Errors have one shape, `{"error": {code, message, field?}}`; each answer carries its
 * request id in `X-Request-Id`; logs never hold a token, key or signature.
 *
 * @example
 * const app = await buildServer({ runtime: new Runtime({ store }) });
 * await app.listen({ port: 3000 });
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger === false ? false : serviceLoggerOptions(deps.logger ?? {}),
    logController: new OneLinePerRequest(),
    // Logged under `reqId` (fastify's default label) and answered as X-Request-Id.
    genReqId: () => randomUUID(),
    // Keep-alive connections with no request in flight close at once on shutdown.
    forceCloseConnections: "idle",
    // fastify's closing answer is a 503 in its own shape; a request that still arrives while
    // closing (on a connection that was busy) is served instead, like the others in flight.
    return503OnClosing: false,
    bodyLimit: 1024 * 1024,
    // What fastify's router and Node's parser refuse before any hook runs is answered in the
    // service's one shape (errors.ts), never in fastify's, which quotes the path.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // Node would answer a missing Host with an empty 400; the onRequest hook answers it instead.
    http: { requireHostHeader: false },
  });
  app.server.on("checkExpectation", answerUnmetExpectation);
  // Set by requireApiKey; declared up front so every request object has the same shape.
  app.decorateRequest("connection", null as unknown as Connection);
  app.addHook("onRequest", (request, reply, done) => {
    void reply.header("X-Request-Id", request.id);
    // Answered, the request goes no further (a hook that sends does not call done).
    if (!refuseMissingHost(request, reply)) done();
  });
  limitHosts(app, deps.allowedHosts);
  // Bodies are read as UTF-8: another charset is refused before the body is parsed.
  app.addHook("preParsing", async (request, _reply, payload) => {
    const refusal = charsetRefusal(request);
    if (refusal !== null) throw refusal;
    return payload;
  });
  closeConnectionsWhenClosing(app);
  installErrorHandling(app);

  const { runtime } = deps;
  const ctx: RouteContext = {
    deps,
    runtime,
    authenticated: [requireApiKey(runtime)],
    now: runtime.now,
  };

  app.get(HEALTH_PATH, async () => ({ status: "ok" }));
  registerConnectionRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerTriggerRoutes(app, ctx);
  registerMcpRoute(app, ctx);
  registerOperabilityRoutes(app, ctx);
  registerOpenApiRoute(app, deps.publicBaseUrl);
  await registerConsole(app, ctx);
  registerWebhookRoutes(app, {
    runtime,
    ...(deps.publicBaseUrl === undefined ? {} : { publicBaseUrl: deps.publicBaseUrl }),
    ...(deps.callbackPolicy === undefined ? {} : { callbackPolicy: deps.callbackPolicy }),
  });
  return app;
}

/**
 * While the app closes, answers in flight end their keep-alive connection (`Connection: close`),
 * so `close()` returns once they are answered instead of waiting for clients to hang up.
 */
function closeConnectionsWhenClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) void reply.header("Connection", "close");
    done(null, payload);
  });
}
