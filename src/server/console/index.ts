import type { FastifyInstance, FastifyReply } from "fastify";
import { connectorError } from "../../contract/index.js";
import { StoreOverview } from "../../runtime/overview.js";
import { addRoute } from "../add-route.js";
import type { RouteContext } from "../context.js";
import { sendError } from "../errors.js";
import { API_DEFINITION_FILE, API_PROPERTIES_FILE, connectorFiles } from "../openapi/index.js";
import { locationOf } from "../openapi-route.js";
import { CallbackGuard, PUBLIC_CALLBACKS_ONLY } from "../webhooks/callback-policy.js";
import { CONSOLE_HEADERS, consolePage, DEFAULT_CONSOLE_ASSETS, loadConsoleAssets } from "./assets.js";
import { registerConsoleConnectionRoutes } from "./connection-routes.js";
import type { ConsoleContext } from "./context.js";
import { registerFeedRoute } from "./feed.js";
import { registerOAuthRoutes } from "./oauth-routes.js";
import { ConsoleGate } from "./guard.js";
import { CONSOLE_ROUTES } from "./routes.js";
import { registerSessionRoutes } from "./session-routes.js";
import { ConsoleSessions } from "./sessions.js";
import { registerConsoleSubscriptionRoutes } from "./subscription-routes.js";

export { CONSOLE_PATH, CONSOLE_ROUTES, consolePath } from "./routes.js";
/** Where Intercom sends the browser back after "Connect with Intercom" (an OAuth app's redirect URL, after the service's base URL). */
export const CONSOLE_OAUTH_CALLBACK = CONSOLE_ROUTES.oauthCallback.path;
export { ConsoleSessions } from "./sessions.js";
export { DEFAULT_CONSOLE_ASSETS } from "./assets.js";

/** The pages the console's router knows: a deep link to one is served the same page. */
const PAGES = new Set(["connections", "subscriptions", "history", "feed", "try", "power-platform"]);

function withConsoleHeaders(reply: FastifyReply): FastifyReply {
  for (const [name, value] of Object.entries(CONSOLE_HEADERS)) void reply.header(name, value);
  return reply;
}

/**
 * The web console on the service's own port: `GET /console` (and its pages' deep links) serves
 * the page, `/console/assets/…` the bundle `npm run build` made (read once at start from
 * `deps.consoleAssetsDir`, by default `dist/console/`), and `/console/api/…` the JSON the page
 * reads, each endpoint calling the runtime and store methods the API calls. Sessions are signed
 * in as the connections API decides who is the operator, or with a connection's API key.
 *
 * @example
 * await registerConsole(app, ctx);
 * // open http://127.0.0.1:3000/console
 */
export async function registerConsole(app: FastifyInstance, route: RouteContext): Promise<void> {
  const { runtime, deps } = route;
  const assets = await loadConsoleAssets(deps.consoleAssetsDir ?? DEFAULT_CONSOLE_ASSETS);
  const sessions = new ConsoleSessions(runtime.now);
  const ctx: ConsoleContext = {
    deps,
    runtime,
    overview: new StoreOverview(runtime.store, runtime.now),
    sessions,
    gate: new ConsoleGate(sessions, runtime, deps.publicBaseUrl),
    guard: new CallbackGuard(deps.callbackPolicy ?? PUBLIC_CALLBACKS_ONLY),
  };
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url.startsWith("/console")) withConsoleHeaders(reply);
    return payload;
  });

  const page = consolePage(assets !== null);
  addRoute(app, CONSOLE_ROUTES.page, {}, async (_request, reply) => reply.type("text/html; charset=utf-8").send(page));
  addRoute<{ Params: { page: string } }>(app, CONSOLE_ROUTES.pageDeep, {}, async (request, reply) => {
    if (!PAGES.has(request.params.page)) return sendError(reply, connectorError("route_not_found", { method: "GET", path: `/console/${request.params.page}` }));
    return reply.type("text/html; charset=utf-8").send(page);
  });
  addRoute<{ Params: { file: string } }>(app, CONSOLE_ROUTES.asset, {}, async (request, reply) => {
    const asset = assets?.get(request.params.file);
    if (asset === undefined) return sendError(reply, connectorError("route_not_found", { method: "GET", path: `/console/assets/${request.params.file}` }));
    return reply.type(asset.type).send(asset.body);
  });

  addRoute<{ Params: { file: string } }>(app, CONSOLE_ROUTES.powerPlatformFile, {}, async (request, reply) => {
    const caller = await ctx.gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const name = request.params.file;
    if (name !== API_DEFINITION_FILE && name !== API_PROPERTIES_FILE) {
      return sendError(reply, connectorError("invalid_input", { field: "file", reason: `must be ${API_DEFINITION_FILE} or ${API_PROPERTIES_FILE}` }, { field: "file" }));
    }
    const location = locationOf(request, deps.publicBaseUrl);
    let files: ReturnType<typeof connectorFiles>;
    try {
      files = connectorFiles(location);
    } catch (error) {
      // A host Swagger 2.0 cannot hold (an IPv6 literal) is left out, as GET /openapi.json does.
      if (!(error instanceof RangeError)) throw error;
      files = connectorFiles({ ...location, host: undefined });
    }
    return reply.type("application/json; charset=utf-8").header("Content-Disposition", `attachment; filename="${name}"`).send(files[name]);
  });

  registerSessionRoutes(app, ctx);
  registerConsoleConnectionRoutes(app, ctx);
  registerConsoleSubscriptionRoutes(app, ctx);
  registerFeedRoute(app, ctx);
  registerOAuthRoutes(app, ctx, page);
}
