import type {
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from "fastify";
import type { RouteMethod } from "./openapi/route-types.js";

/**
 * Registers a handler where a route table says: its method and its fastify url come from the row
 * (`CONNECTOR_ROUTES`, `CONNECTION_ROUTES`…), so a route cannot be served at one method or path
 * and described at another. Takes the same options and handler as `app.get`/`app.post`.
 *
 * @example
 * addRoute(app, routeFor("action", "GetLead"), { preHandler: ctx.authenticated }, async (request, reply) => handle(request, reply));
 */
export function addRoute<RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
  app: FastifyInstance,
  route: { readonly method: RouteMethod; readonly url: string },
  options: RouteShorthandOptions<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, RouteGeneric>,
  handler: RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, RouteGeneric>,
): void {
  app.route<RouteGeneric>({ ...options, method: route.method, url: route.url, handler });
}
