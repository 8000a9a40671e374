import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { connectorError, parseInput, TextField } from "../contract/index.js";
import { isStoreError, REGIONS, type Connection, type Region } from "../store/index.js";
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
 * What `POST /v1/connections` takes: the workspace's access token, its region (default `us`) or a
 * base URL that overrides it (the emulator, a proxy), a name, and optionally the Intercom app's
 * client secret (to verify Intercom's pushes).
 *
 * @example
 * CreateConnectionInput.parse({ access_token: "dG9rOmFiYw==", region: "eu" });
 */
export const CreateConnectionInput = z.strictObject({
  name: TextField.min(1, { error: "must not be empty" }).optional(),
  access_token: z
    .string({ error: "must be a string" })
    .regex(/^[\x21-\x7e]{1,1024}$/, { error: "must be 1 to 1024 printable ASCII characters without spaces" }),
  region: z.enum(REGIONS as [Region, ...Region[]], { error: `must be one of ${REGIONS.join(", ")}` }).optional(),
  base_url: z.url({ protocol: /^https?$/, error: "must be an http or https URL" }).max(2048, { error: "must be at most 2048 characters" }).optional(),
  /** The Intercom app's client secret, which verifies the webhooks Intercom pushes (optional). */
  intercom_client_secret: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(1024, { error: "must be at most 1024 characters" }).optional(),
});

/**
 * The connection endpoints: create (admin), and for the caller's own connection (its API key):
 * list, get, test (one cheap Intercom call) and delete.
 *
 * @example
 * registerConnectionRoutes(app, ctx);
 */
export function registerConnectionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx.deps;

  addRoute(app, CONNECTION_ROUTES.create, { preHandler: requireAdmin(ctx.deps.adminKey) }, async (request, reply) => {
    const input = parseInput(CreateConnectionInput, request.body);
    if (!input.ok) return sendError(reply, input.error);
    const region = input.value.region ?? "us";
    try {
      const { connection, apiKey } = await store.createConnection({
        name: input.value.name ?? `Intercom (${input.value.base_url ?? region})`,
        region,
        accessToken: input.value.access_token,
        ...(input.value.base_url === undefined ? {} : { baseUrl: input.value.base_url }),
        ...(input.value.intercom_client_secret === undefined ? {} : { intercomClientSecret: input.value.intercom_client_secret }),
      });
      request.log.info({ connectionId: connection.id }, "connection created");
      return reply
        .status(201)
        .header("Location", baseUrlOf(request, ctx.deps.publicBaseUrl) + connectionPath(connection.id))
        .send({ connection: connectionJson(connection), api_key: apiKey });
    } catch (error) {
      if (isStoreError(error, "invalid_argument")) return sendError(reply, connectorError("invalid_input", { field: "body", reason: error.message }, { field: "body" }));
      throw error;
    }
  });

  addRoute(app, CONNECTION_ROUTES.list, { preHandler: ctx.authenticated }, async (request) => ({ value: [connectionJson(request.connection)] }));

  addRoute(app, CONNECTION_ROUTES.get, { preHandler: ctx.authenticated }, async (request) => connectionJson(request.connection));

  addRoute(app, CONNECTION_ROUTES.test, { preHandler: ctx.authenticated }, async (request, reply) => {
    const intercom = await ctx.deps.transportFor(request.connection.id);
    // The transport has no `GET /me`; listing tags is as cheap and needs only read access.
    const tags = await intercom.listTags();
    if (!tags.ok) return sendError(reply, tags.error);
    return { id: request.connection.id, status: "ok", checked: "GET /tags" };
  });

  addRoute(app, CONNECTION_ROUTES.delete, { preHandler: ctx.authenticated }, async (request, reply) => {
    await store.deleteConnection(request.connection.id);
    ctx.deps.forgetTransport?.(request.connection.id);
    request.log.info({ connectionId: request.connection.id }, "connection deleted");
    return reply.status(204).send();
  });
}
