import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { connectorError, parseInput } from "../../contract/index.js";
import { addRoute } from "../add-route.js";
import { baseUrlOf } from "../base-url.js";
import { connectionJson } from "../connections.js";
import { sendError } from "../errors.js";
import type { ConsoleContext } from "./context.js";
import { CONSOLE_ROUTES } from "./routes.js";

const Start = z.strictObject({ region: z.enum(["us", "eu", "au"]).optional() });
// What Intercom's redirect carried, as the page read it from its URL: checked by the runtime.
const Finish = z.strictObject({ state: z.string().max(512).optional(), code: z.string().max(2048).optional(), error: z.string().max(256).optional() });

/**
 * "Connect with Intercom" in the console, on the runtime's OAuth (`Runtime.beginOAuth`,
 * `finishOAuth`: the state single-use, bound to this session, 10 minutes). The operator starts it
 * (`POST /console/api/oauth/start`, answered with Intercom's authorize URL, where the page goes);
 * Intercom redirects back to `GET /console/oauth/callback`, which serves the page; the page posts
 * the redirect's `state` and `code` to `POST /console/api/oauth/finish` from this origin, with the
 * session cookie (a `SameSite=Strict` cookie is not sent with Intercom's cross-site redirect
 * itself) and the CSRF token. A forged, replayed or another session's state is
 * `oauth_state_invalid`; the new connection's API key is answered once.
 *
 * @example
 * registerOAuthRoutes(app, ctx);
 */
export function registerOAuthRoutes(app: FastifyInstance, ctx: ConsoleContext, page: string): void {
  const { runtime, gate, deps } = ctx;

  addRoute(app, CONSOLE_ROUTES.oauthCallback, {}, async (_request, reply) => reply.type("text/html; charset=utf-8").send(page));

  addRoute(app, CONSOLE_ROUTES.oauthStart, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    if (caller.session.scope.kind !== "admin") return sendError(reply, connectorError("console_forbidden", {}));
    const form = parseInput(Start, request.body ?? {});
    if (!form.ok) return sendError(reply, form.error);
    const redirectUri = `${baseUrlOf(request, deps.publicBaseUrl)}${CONSOLE_ROUTES.oauthCallback.path}`;
    const started = await runtime.beginOAuth({ session: caller.session.bindingId, region: form.value.region ?? "us", redirectUri });
    if (!started.ok) return sendError(reply, started.error);
    return { url: started.value.url };
  });

  addRoute(app, CONSOLE_ROUTES.oauthFinish, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    if (caller.session.scope.kind !== "admin") return sendError(reply, connectorError("console_forbidden", {}));
    const form = parseInput(Finish, request.body ?? {});
    if (!form.ok) return sendError(reply, form.error);
    const made = await runtime.finishOAuth({ session: caller.session.bindingId, state: form.value.state, code: form.value.code, ...(form.value.error === undefined ? {} : { error: form.value.error }) });
    if (!made.ok) return sendError(reply, made.error);
    request.log.info({ connectionId: made.value.connection.id }, "connection created with Intercom's OAuth");
    const limits = { calls_per_window: runtime.budget.callsPerWindow, window_seconds: runtime.budget.windowSeconds };
    return reply.status(201).send({ connection: { ...connectionJson(made.value.connection), budget: limits }, api_key: made.value.apiKey });
  });
}
