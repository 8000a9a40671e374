import type { FastifyInstance, FastifyReply } from "fastify";
import { connectorError, ok, type ActionId, type ConnectorError, type Result } from "../contract/index.js";
import { addRoute } from "./add-route.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { CONNECTOR_ROUTES, CURSOR_PARAMETER as LIST_CURSOR_PARAM, NEXT_LINK_PROPERTY as NEXT_LINK_NAME, PAGE_ITEMS_PROPERTY as PAGE_ITEMS_NAME, routeFor, routesOf, type ConnectorRoute } from "./openapi/index.js";
import { annotate, type JsonObject } from "./openapi/index.js";
import { MODEL_PARAMETER, PICKER_PARAMETER } from "./openapi/picker-routes.js";

function query(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? { ...(value as Record<string, unknown>) } : {};
}

function answer<T>(reply: FastifyReply, result: Result<T, ConnectorError>): FastifyReply {
  return result.ok ? reply.status(200).send(result.value) : sendError(reply, result.error);
}

/** The GET route a paged action's `nextLink` points at: its own (query input) or its next-page route. */
function nextPageRoute(id: ActionId): ConnectorRoute {
  const routes = CONNECTOR_ROUTES.filter((route) => route.operation === id && route.method === "GET" && (route.kind === "paged-action" || route.kind === "next-page"));
  const [only] = routes;
  if (only === undefined || routes.length > 1) throw new Error(`${id}: the route table has ${routes.length} GET page routes`);
  return only;
}

/**
 * Every action, one path per operation id (see `CONNECTOR_ROUTES`): a POST whose JSON body is the
 * contract's input answers 200 with its output. A paged action answers one page,
 * `{ value, nextLink }`, where `nextLink` is the absolute URL of the next page (absent on the
 * last): a GET whose `cursor` carries the input. Its first page is a GET with the input as query
 * parameters when they can carry it (`ListLeads`), else a POST with a body. Errors are in the one
 * shape.
 *
 * @example
 * registerActionRoutes(app, ctx);
 * // curl -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"contact_id":"6762f0a5…"}' $URL/v1/actions/GetLead
 */
export function registerActionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { runtime } = ctx;
  const options = { preHandler: ctx.authenticated };

  for (const route of routesOf("action")) {
    const id = route.operation as ActionId;
    // The runtime validates first: bad input costs nothing and sends nothing.
    addRoute(app, route, options, async (request, reply) => answer(reply, await runtime.call(request.connection.id, id, request.body)));
  }

  for (const route of [...routesOf("paged-action"), ...routesOf("next-page")]) {
    const id = route.operation as ActionId;
    const next = nextPageRoute(id);
    addRoute(app, route, options, async (request, reply) => {
      const { [LIST_CURSOR_PARAM]: cursor, ...parameters } = query(request.query);
      // A POST's body is its input as sent, as for every action: no body is no input, not `{}`.
      const input: unknown = route.method === "POST" ? request.body : parameters;
      if (route.kind === "next-page" && cursor === undefined) {
        return sendError(reply, connectorError("invalid_input", { field: LIST_CURSOR_PARAM, reason: "is required: the cursor of the previous page's nextLink" }, { field: LIST_CURSOR_PARAM }));
      }
      const page = await runtime.callPage(request.connection.id, id, input, cursor);
      if (!page.ok) return sendError(reply, page.error);
      const nextCursor = page.value.nextCursor;
      const nextLink = nextCursor === null ? undefined : `${baseUrlOf(request, ctx.deps.publicBaseUrl)}${next.path}?${LIST_CURSOR_PARAM}=${encodeURIComponent(nextCursor)}`;
      return { [PAGE_ITEMS_NAME]: page.value.items, ...(nextLink === undefined ? {} : { [NEXT_LINK_NAME]: nextLink }) };
    });
  }

  // The forms' helpers: a picker's candidates and the custom attributes' schema. The runtime
  // checks the name first (an unknown one is invalid_input, and costs nothing).
  addRoute<{ Params: Record<string, string> }>(app, routeFor("picker"), options, async (request, reply) => answer(reply, await runtime.pick(request.connection.id, request.params[PICKER_PARAMETER])));
  addRoute<{ Params: Record<string, string> }>(app, routeFor("attribute-schema"), options, async (request, reply) => {
    const described = await runtime.customAttributeSchema(request.connection.id, request.params[MODEL_PARAMETER]);
    // Power Automate reads a field's label from x-ms-summary.
    return answer(reply, described.ok ? ok({ ...described.value, schema: annotate(described.value.schema as unknown as JsonObject, { labels: {}, subject: described.value.model }) }) : described);
  });
}
