import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import type { DestinationStream, LevelWithSilent } from "pino";

/**
 * Where the service's logs go and how much of them: a pino level (default `info`) and a
 * destination (default stdout). Tests pass a stream that collects the lines.
 *
 * @example
 * const options: ServiceLoggerOptions = { level: "debug", stream: process.stderr };
 */
export interface ServiceLoggerOptions {
  level?: LevelWithSilent;
  stream?: DestinationStream;
}

/** The header names whose values are secrets; their values are never logged. */
const SECRET_HEADERS = ["x-api-key", "authorization", "x-hub-signature", "x-admin-key", "webhook-signature", "cookie", "set-cookie"];

/** Field names whose values are secrets, at the top of a log line or one level down. */
const SECRET_FIELDS = ["accessToken", "access_token", "apiKey", "api_key", "secret", "token", "adminKey", "clientSecret", "intercom_client_secret"];

/**
 * The log paths pino replaces by `[redacted]`: the secret headers wherever a request or response
 * is logged, and fields named like secrets at the top of a line or one level down. The request
 * serializer logs no headers and no body in the first place; redaction is the second line.
 *
 * @example
 * pino({ redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" } });
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`]),
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
];

/**
 * fastify's logger options for the service: pino with the secrets redacted, request ids under
 * `reqId`, and requests logged by method, path, status and time only (no headers, no bodies).
 *
 * @example
 * Fastify({ logger: serviceLoggerOptions({ level: "info" }) });
 */
export function serviceLoggerOptions(options: ServiceLoggerOptions = {}): NonNullable<FastifyServerOptions["logger"]> {
  return {
    level: options.level ?? "info",
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" },
    serializers: {
      // The URL without its query (ListLeads cursors and poll state are not secret, but long).
      req: (req) => {
        // Also called on whatever a line logs as `req`: read defensively.
        const request = req as Partial<typeof req>;
        const remoteAddress = request.socket?.remoteAddress;
        return {
          method: String(request.method),
          url: String(request.url ?? "").split("?")[0] ?? "",
          ...(remoteAddress === undefined ? {} : { remoteAddress }),
        };
      },
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * One log line per request, when it is answered (`request completed`, or `request errored`):
 * request id, method, path, status and time. fastify's default adds an `incoming request` line:
 * a second write per request for nothing a reader needs.
 *
 * @example
 * Fastify({ logController: new OneLinePerRequest() });
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // Logged once, with the outcome, by requestCompleted.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error !== null && error !== undefined) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}
