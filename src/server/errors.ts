import { STATUS_CODES, maxHeaderSize as nodeMaxHeaderSize, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { connectorError, ConnectorError, isConnectorError } from "../contract/index.js";

/**
 * The service's one error shape.
 *
 * @example
 * const body: ErrorBody = { error: { code: "payload_too_large", message: "The body is over 1048576 bytes: send a smaller one" } };
 */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: unknown; retry_after?: number };
}

/**
 * The body a ConnectorError is answered with: its code, message and, when it has them, the field
 * at fault, every issue and `retry_after`.
 *
 * @example
 * errorBody(connectorError("unauthorized", {})); // { error: { code: "unauthorized", message: "Missing or unknown API key: …" } }
 */
export function errorBody(error: ConnectorError): ErrorBody {
  const { code, message, field, issues, retry_after } = error.toJSON();
  const body: ErrorBody["error"] = { code, message };
  if (field !== undefined) body.field = field;
  if (issues !== undefined) body.issues = issues;
  if (retry_after !== undefined) body.retry_after = retry_after;
  return { error: body };
}

/**
 * Sends a ConnectorError in the service's shape, with `Retry-After` when it has one.
 *
 * @example
 * return sendError(reply, connectorError("unauthorized", {}));
 */
export function sendError(reply: FastifyReply, error: ConnectorError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) void reply.header("Retry-After", String(error.retryAfterSeconds));
  return reply.status(error.status).send(errorBody(error));
}

/**
 * The limits fastify enforces before a handler runs, which the refusals' messages state so that
 * the caller knows how far to cut.
 *
 * @example
 * const limits: RefusalLimits = { bodyLimit: 1_048_576, maxParamLength: 100 };
 */
export interface RefusalLimits {
  /** The largest body read, in bytes (fastify's `bodyLimit`). */
  readonly bodyLimit: number;
  /** The longest path parameter routed, in characters (fastify's `maxParamLength`). */
  readonly maxParamLength: number;
}

/**
 * The limits an app was built with (its `initialConfig`).
 *
 * @example
 * refusalLimitsOf(app); // { bodyLimit: 1048576, maxParamLength: 100 }
 */
export function refusalLimitsOf(app: FastifyInstance): RefusalLimits {
  const config = app.initialConfig as { bodyLimit?: number; maxParamLength?: number; routerOptions?: { maxParamLength?: number } };
  return { bodyLimit: config.bodyLimit ?? 1_048_576, maxParamLength: config.routerOptions?.maxParamLength ?? config.maxParamLength ?? 100 };
}

const bodyIssue = (reason: string): ConnectorError => connectorError("invalid_input", { field: "body", reason }, { field: "body", issues: [{ field: "body", reason }] });

/**
 * What each refusal of fastify a request can cause is answered with, by fastify's error code
 * (`node_modules/fastify/lib/errors.js`). Each keeps fastify's status and has a registered code;
 * none repeats the request's URL or body (fastify's own messages do, and either may hold a
 * secret). The codes fastify has that no request to this service can cause (startup and
 * programming errors, options the service does not use) are listed, with why, in errors.test.ts.
 *
 * | fastify code | status | answered as |
 * |---|---|---|
 * | `FST_ERR_CTP_INVALID_JSON_BODY` | 400 | `invalid_input` on `body` |
 * | `FST_ERR_CTP_EMPTY_JSON_BODY` | 400 | `invalid_input` on `body` |
 * | `FST_ERR_CTP_BODY_TOO_LARGE` | 413 | `payload_too_large` |
 * | `FST_ERR_CTP_INVALID_MEDIA_TYPE` | 415 | `unsupported_media_type` |
 * | `FST_ERR_CTP_INVALID_CONTENT_LENGTH` | 400 | `malformed_request` |
 * | `FST_ERR_ROUTE_MISSING_CONTENT_TYPE` | 400 | `malformed_request` |
 * | `FST_ERR_BAD_URL` | 400 | `invalid_path` |
 * | `FST_ERR_MAX_PARAM_LENGTH` | 414 | `path_parameter_too_long` |
 * | `FST_ERR_VALIDATION` | 400 | `invalid_input` on the part (no route has a fastify schema today) |
 *
 * @example
 * FASTIFY_REFUSALS.FST_ERR_CTP_BODY_TOO_LARGE?.({ bodyLimit: 1024, maxParamLength: 100 }, error).status; // 413
 */
export const FASTIFY_REFUSALS: Readonly<Record<string, (limits: RefusalLimits, error: FastifyError) => ConnectorError>> = Object.freeze({
  // secure-json-parse refuses `__proto__` and `constructor.prototype` keys with the same error.
  FST_ERR_CTP_INVALID_JSON_BODY: () => bodyIssue("is not valid JSON (or holds a __proto__ or constructor.prototype key): send one JSON object with Content-Type: application/json"),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => bodyIssue("is empty although Content-Type is application/json: send a JSON object, or leave out Content-Type when there is no body"),
  FST_ERR_CTP_BODY_TOO_LARGE: (limits) => connectorError("payload_too_large", { limit: limits.bodyLimit }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => connectorError("unsupported_media_type", { reason: "send it with Content-Type: application/json" }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => connectorError("malformed_request", { reason: "its body is not as long as its Content-Length header says: send the body's exact length in bytes" }),
  // Only a QUERY request is refused so, and the service has no QUERY route.
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: () => connectorError("malformed_request", { reason: "a QUERY request needs a Content-Type header, and the service has no QUERY route: see GET /openapi.json" }),
  FST_ERR_BAD_URL: () => connectorError("invalid_path", {}),
  FST_ERR_MAX_PARAM_LENGTH: (limits) => connectorError("path_parameter_too_long", { max: limits.maxParamLength }),
  FST_ERR_VALIDATION: (_limits, error) => {
    const field = error.validationContext ?? "input";
    const reason = "does not match the route's schema: see GET /openapi.json";
    return connectorError("invalid_input", { field, reason }, { field, issues: [{ field, reason }] });
  },
});

/**
 * The registered error a fastify refusal is answered with, or `null` when the error is not one
 * of fastify's refusals (a bug, answered 500 by the error handler).
 *
 * @example
 * fastifyRefusal(error, refusalLimitsOf(app))?.code; // "payload_too_large"
 */
export function fastifyRefusal(error: FastifyError, limits: RefusalLimits): ConnectorError | null {
  const refusal = typeof error.code === "string" && Object.hasOwn(FASTIFY_REFUSALS, error.code) ? FASTIFY_REFUSALS[error.code] : undefined;
  if (refusal !== undefined) return refusal(limits, error);
  const status = error.statusCode;
  // A 4xx of fastify's without a code of its own here (a body stream cut off, a fastify release
  // that refuses something new): still the client's fault, and fastify's message may quote it.
  if (status !== undefined && status >= 400 && status < 500) {
    return connectorError("malformed_request", { reason: "the service could not read it: check its method, headers and body against GET /openapi.json" });
  }
  return null;
}

/**
 * Answers what fastify's router refuses before any route or hook runs (fastify's
 * `frameworkErrors` option): a path parameter that is not valid percent-encoding
 * (`FST_ERR_BAD_URL`) or is too long (`FST_ERR_MAX_PARAM_LENGTH`). Without it fastify answers
 * those in its own shape, quoting the path. The request id is set here: no `onRequest` hook ran.
 *
 * @example
 * Fastify({ frameworkErrors: answerFrameworkError });
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header("X-Request-Id", request.id);
  const refusal = fastifyRefusal(error, refusalLimitsOf(request.server));
  if (refusal === null) request.log.error({ code: error.code }, "unexpected router error");
  void sendError(reply, refusal ?? connectorError("internal_error", {}));
}

/**
 * The registered error for what Node's HTTP parser refuses, by its error code: headers (with the
 * request line) over Node's limit are 431, a request not sent in time 408, anything else that is
 * not HTTP/1.1 400.
 *
 * @example
 * clientErrorRefusal("HPE_HEADER_OVERFLOW", 16_384).status; // 431
 */
export function clientErrorRefusal(code: string | undefined, headerLimit: number): ConnectorError {
  if (code === "HPE_HEADER_OVERFLOW") return connectorError("headers_too_large", { limit: headerLimit });
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return connectorError("request_timeout", {});
  return connectorError("malformed_request", {
    reason: "it is not valid HTTP/1.1 (its request line, method, a header or the body's framing): fix the client or proxy that sends it",
  });
}

/** The pieces of Node's server socket the client-error answer reads (`_httpMessage`: the answer in progress, if any). */
type ServerSocket = Socket & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * Answers what Node's HTTP parser refuses before fastify sees a request (fastify's
 * `clientErrorHandler`, called with the fastify instance as `this`), in the service's one shape
 * rather than fastify's: headers too large (431), a request not sent in time (408), bytes that are
 * not HTTP/1.1 (400). The connection is closed afterwards, as Node does: the parser cannot go on.
 * Nothing of the request is logged: the error carries its raw bytes, API key included.
 *
 * @example
 * Fastify({ clientErrorHandler: answerClientError });
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const server = this.server as { maxHeaderSize?: number } | undefined;
  const refusal = clientErrorRefusal(error.code, server?.maxHeaderSize ?? nodeMaxHeaderSize);
  this.log.info({ code: error.code, statusCode: refusal.status }, "client error answered");
  // An answer already under way on this connection would be corrupted by a second one.
  if (socket.writable && (socket as ServerSocket)._httpMessage?.headersSent !== true) {
    const body = JSON.stringify(errorBody(refusal));
    socket.write(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ""}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Answers a request whose `Expect` header is not `100-continue` (a listener of Node's
 * `checkExpectation` event, which replaces `request` for it), in the service's shape: without
 * one, Node answers 417 with an empty body. fastify never sees the request.
 *
 * @example
 * app.server.on("checkExpectation", answerUnmetExpectation);
 */
export function answerUnmetExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(errorBody(connectorError("expectation_failed", {})));
  response.writeHead(417, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  response.end(body);
}

/**
 * Answers a request without `Host` over HTTP/1.1 (which requires one), in the service's shape:
 * an `onRequest` hook for a server built with Node's `requireHostHeader: false`, which would
 * otherwise answer 400 with an empty body. HTTP/1.0 may leave it out (health checkers do).
 *
 * @example
 * if (refuseMissingHost(request, reply)) return;
 */
export function refuseMissingHost(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.raw.httpVersion !== "1.1" || request.headers.host !== undefined) return false;
  void sendError(reply, connectorError("malformed_request", { reason: "it has no Host header, which HTTP/1.1 requires: send the host name the client connected to" }));
  return true;
}

/**
 * Installs the error and not-found handlers: ConnectorErrors keep their code; what fastify
 * refuses keeps fastify's status under a registered code (`FASTIFY_REFUSALS`); anything else is
 * a bug, logged and answered 500 without details.
 *
 * @example
 * installErrorHandling(app);
 */
export function installErrorHandling(app: FastifyInstance): void {
  const limits = refusalLimitsOf(app);
  app.setErrorHandler((error: FastifyError | ConnectorError, request, reply) => {
    if (isConnectorError(error)) return sendError(reply, error);
    const refusal = fastifyRefusal(error, limits);
    if (refusal !== null) {
      if (refusal.code === "malformed_request" && !Object.hasOwn(FASTIFY_REFUSALS, error.code)) request.log.warn({ code: error.code, statusCode: error.statusCode }, "fastify refusal without a code of its own");
      return sendError(reply, refusal);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, connectorError("internal_error", {}));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, connectorError("route_not_found", { method: request.method, path: shownPath(request.url) })));
}

const SHOWN_PATH_MAX = 80;

/**
 * A request's path as `route_not_found` may repeat it: without its query, every character
 * outside a URL path's own percent-encoded as UTF-8, and at most 80 characters.
 *
 * @example
 * shownPath('/v1/<script>?key=secret'); // "/v1/%3Cscript%3E"
 */
export function shownPath(url: string): string {
  const path = (url.split("?")[0] ?? "").replace(/[^A-Za-z0-9\-._~/%!$&'()*+,;=:@]/gu, (char) => encodeURIComponent(char));
  return path.length > SHOWN_PATH_MAX ? `${path.slice(0, SHOWN_PATH_MAX)}…` : path;
}

export { ConnectorError };
