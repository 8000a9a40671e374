import type { FastifyReply, FastifyRequest } from "fastify";
import { connectorError } from "../contract/index.js";
import type { Runtime } from "../runtime/index.js";
import type { Connection } from "../store/index.js";
import { sendError } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The connection whose API key the request carried (routes behind `requireApiKey`). */
    connection: Connection;
  }
}

/** The header callers put their connection's API key in. */
export const API_KEY_HEADER = "x-api-key";

/**
 * A preHandler that finds the connection by the `X-API-Key` header (keys are stored hashed) and
 * sets `request.connection`. No key or an unknown one: 401 `unauthorized`; when the route has a
 * `connectionId` param naming another connection: 403 `forbidden`.
 *
 * @example
 * app.get("/v1/connections/:connectionId", { preHandler: requireApiKey(runtime) }, handler);
 */
export function requireApiKey(runtime: Pick<Runtime, "connectionByApiKey">): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const header = request.headers[API_KEY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    const connection = key === undefined || key === "" ? null : await runtime.connectionByApiKey(key);
    if (connection === null) {
      await sendError(reply, connectorError("unauthorized", {}));
      return;
    }
    const params = request.params as { connectionId?: string } | undefined;
    if (params?.connectionId !== undefined && params.connectionId !== connection.id) {
      await sendError(reply, connectorError("forbidden", {}));
      return;
    }
    request.connection = connection;
  };
}
