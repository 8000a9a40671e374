import type { FastifyInstance } from "fastify";
import type { Connection, Region } from "../store/index.js";
import { addRoute } from "./add-route.js";
import { requireAdmin } from "./admin.js";
import { baseUrlOf } from "./base-url.js";
import type { RouteContext } from "./context.js";
import { sendError } from "./errors.js";
import { CONNECTION_ROUTES, connectionPath } from "./routes.js";

/**
 * A connection as the API shows it: never its token, never its key.
 *
 * @example
 * reply.send(connectionJson(request.connection)); // { id, name, region, base_url, created_at }
 */
export function connectionJson(connection: Connection): { id: string; name: string; region: Region; base_url: string | null; created_at: string } {
  return {
    id: connection.id,
    name: connection.name,
    region: connection.region,
    base_url: connection.baseUrl,
    created_at: connection.createdAt.toISOString(),
  };
}

/**
 * The connection endpoints: create (admin), and for the caller's own connection (its API key):
 * list, get, test (one cheap Intercom call) and delete.
 *
 * @example
 * registerConnectionRoutes(app, ctx);
 */
export function registerConnectionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { runtime } = ctx;

  addRoute(app, CONNECTION_ROUTES.create, { preHandler: requireAdmin(ctx.deps.adminKey, { demoMode: ctx.deps.demoMode === true }) }, async (request, reply) => {
    const added = await runtime.addConnection(request.body);
    if (!added.ok) return sendError(reply, added.error);
    const { connection, apiKey } = added.value;
    request.log.info({ connectionId: connection.id }, "connection created");
    return reply
      .status(201)
      .header("Location", baseUrlOf(request, ctx.deps.publicBaseUrl) + connectionPath(connection.id))
      .send({ connection: connectionJson(connection), api_key: apiKey });
  });

  addRoute(app, CONNECTION_ROUTES.list, { preHandler: ctx.authenticated }, async (request) => ({ value: [connectionJson(request.connection)] }));

  addRoute(app, CONNECTION_ROUTES.get, { preHandler: ctx.authenticated }, async (request) => connectionJson(request.connection));

  addRoute(app, CONNECTION_ROUTES.test, { preHandler: ctx.authenticated }, async (request, reply) => {
    const checked = await runtime.testConnection(request.connection.id);
    if (!checked.ok) return sendError(reply, checked.error);
    return { id: request.connection.id, status: "ok", checked: checked.value.checked };
  });

  addRoute(app, CONNECTION_ROUTES.delete, { preHandler: ctx.authenticated }, async (request, reply) => {
    await runtime.deleteConnection(request.connection.id);
    request.log.info({ connectionId: request.connection.id }, "connection deleted");
    return reply.status(204).send();
  });
}
