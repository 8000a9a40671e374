import type { FastifyInstance, FastifyReply } from "fastify";
import type { ActionId, ConnectorError, Result } from "../contract/index.js";
import { addRoute } from "./add-route.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { CURSOR_PARAMETER as LIST_CURSOR_PARAM, NEXT_LINK_PROPERTY as NEXT_LINK_NAME, PAGE_ITEMS_PROPERTY as PAGE_ITEMS_NAME, routeFor, routesOf } from "./openapi/index.js";

const LIST_LEADS = routeFor("paged-action", "ListLeads");

function query(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? { ...(value as Record<string, unknown>) } : {};
}

function answer<T>(reply: FastifyReply, result: Result<T, ConnectorError>): FastifyReply {
  return result.ok ? reply.status(200).send(result.value) : sendError(reply, result.error);
}

/**
 * The five actions, one path per operation id (see `CONNECTOR_ROUTES`): `CreateUser`,
 * `CreateLead`, `GetLead` and `GetUser` are POSTs whose JSON body is the contract's input (the
 * lookups take `contact_id` / `user_id` there); `ListLeads` is a GET that answers one page,
 * `{ value, nextLink }`, where `nextLink` is the absolute URL of the next page (absent on the
 * last). Each answers 200 with the contract's shape, or an error in the one shape.
 *
 * @example
 * registerActionRoutes(app, ctx);
 * // curl -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"contact_id":"6762f0a5…"}' $URL/v1/actions/GetLead
 */
export function registerActionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { runtime } = ctx;
  const options = { preHandler: ctx.authenticated };

  for (const route of routesOf("action")) {
    const id = route.operation as Exclude<ActionId, "ListLeads">;
    // The runtime validates first: bad input costs nothing and sends nothing.
    addRoute(app, route, options, async (request, reply) => answer(reply, await runtime.call(request.connection.id, id, request.body)));
  }

  addRoute(app, LIST_LEADS, options, async (request, reply) => {
    const { [LIST_CURSOR_PARAM]: cursor, ...rest } = query(request.query);
    const page = await runtime.listLeadsPage(request.connection.id, rest, cursor);
    if (!page.ok) return sendError(reply, page.error);
    const next = page.value.nextCursor;
    const nextLink = next === null ? undefined : `${baseUrlOf(request, ctx.deps.publicBaseUrl)}${LIST_LEADS.path}?${LIST_CURSOR_PARAM}=${encodeURIComponent(next)}`;
    return { [PAGE_ITEMS_NAME]: page.value.items, ...(nextLink === undefined ? {} : { [NEXT_LINK_NAME]: nextLink }) };
  });
}
