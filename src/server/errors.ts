import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { connectorError, ConnectorError, isConnectorError } from "../contract/index.js";

/** The service's one error shape. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: unknown; retry_after?: number };
}

/**
 * Sends a ConnectorError in the service's shape, with `Retry-After` when it has one.
 *
 * @example
 * return sendError(reply, connectorError("unauthorized", {}));
 */
export function sendError(reply: FastifyReply, error: ConnectorError): FastifyReply {
  const { code, message, field, issues, retry_after } = error.toJSON();
  const body: ErrorBody["error"] = { code, message };
  if (field !== undefined) body.field = field;
  if (issues !== undefined) body.issues = issues;
  if (retry_after !== undefined) body.retry_after = retry_after;
  if (error.retryAfterSeconds !== undefined) void reply.header("Retry-After", String(error.retryAfterSeconds));
  return reply.status(error.status).send({ error: body } satisfies ErrorBody);
}

/**
 * Installs the error and not-found handlers: ConnectorErrors keep their code; fastify's own
 * errors (bad JSON, wrong content type, schema) become `invalid_input`; anything else is a bug,
 * logged and answered 500 without details.
 *
 * @example
 * installErrorHandling(app);
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ConnectorError, request, reply) => {
    if (isConnectorError(error)) return sendError(reply, error);
    const status = (error).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendError(reply, connectorError("invalid_input", { field: "body", reason: (error).message }, { field: "body" }));
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, connectorError("internal_error", {}));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, connectorError("route_not_found", { method: request.method, path: request.url.split("?")[0] ?? "" })));
}

export { ConnectorError };
