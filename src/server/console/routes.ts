import { fastifyPath, fillPath } from "../openapi/paths.js";
import type { ServiceRoute } from "../routes.js";
import type { RouteMethod } from "../openapi/route-types.js";

function consoleRoute(method: RouteMethod, path: string): ServiceRoute {
  return Object.freeze({ method, path, url: fastifyPath(path) });
}

/** Where the console's page lives (the banner prints it). */
export const CONSOLE_PATH = "/console";

/**
 * The web console's endpoints: its page and bundled assets, and the JSON endpoints its page
 * calls (`/console/api/…`, behind the session cookie; every change also behind the CSRF token).
 * They are the service's own, not the connector's API: not in the OpenAPI document.
 *
 * @example
 * CONSOLE_ROUTES.session.path; // "/console/api/session"
 */
export const CONSOLE_ROUTES = Object.freeze({
  page: consoleRoute("GET", CONSOLE_PATH),
  pageDeep: consoleRoute("GET", `${CONSOLE_PATH}/{page}`),
  asset: consoleRoute("GET", `${CONSOLE_PATH}/assets/{file}`),
  session: consoleRoute("GET", `${CONSOLE_PATH}/api/session`),
  signIn: consoleRoute("POST", `${CONSOLE_PATH}/api/session`),
  signOut: consoleRoute("DELETE", `${CONSOLE_PATH}/api/session`),
  connections: consoleRoute("GET", `${CONSOLE_PATH}/api/connections`),
  addConnection: consoleRoute("POST", `${CONSOLE_PATH}/api/connections`),
  testConnection: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/test`),
  rotateKey: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/rotate-key`),
  deleteConnection: consoleRoute("DELETE", `${CONSOLE_PATH}/api/connections/{connectionId}`),
  budget: consoleRoute("GET", `${CONSOLE_PATH}/api/connections/{connectionId}/budget`),
  subscriptions: consoleRoute("GET", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions`),
  subscribeWebhook: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/webhooks`),
  pauseSubscription: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/pause`),
  resumeSubscription: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/resume`),
  deleteSubscription: consoleRoute("DELETE", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}`),
  events: consoleRoute("GET", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/events`),
  attempts: consoleRoute("GET", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/attempts`),
  replay: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/events/{eventId}/replay`),
  replayAll: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/subscriptions/{subscriptionId}/replay-dead`),
  feed: consoleRoute("GET", `${CONSOLE_PATH}/api/connections/{connectionId}/feed`),
  actions: consoleRoute("GET", `${CONSOLE_PATH}/api/actions`),
  runAction: consoleRoute("POST", `${CONSOLE_PATH}/api/connections/{connectionId}/actions/{operationId}`),
  oauthCallback: consoleRoute("GET", `${CONSOLE_PATH}/oauth/callback`),
  oauthStart: consoleRoute("POST", `${CONSOLE_PATH}/api/oauth/start`),
  oauthFinish: consoleRoute("POST", `${CONSOLE_PATH}/api/oauth/finish`),
  powerPlatformFile: consoleRoute("GET", `${CONSOLE_PATH}/api/power-platform/{file}`),
});

/**
 * A console path with its parameters filled in (encoded).
 *
 * @example
 * consolePath(CONSOLE_ROUTES.testConnection, { connectionId: "9f1c" }); // "/console/api/connections/9f1c/test"
 */
export function consolePath(route: ServiceRoute, values: Record<string, string>): string {
  return fillPath(route.path, values);
}
