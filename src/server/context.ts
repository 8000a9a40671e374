import type { FastifyReply, FastifyRequest } from "fastify";
import type { Runtime } from "../runtime/index.js";
import type { ServiceLoggerOptions } from "./logger.js";
import type { CallbackPolicy } from "./webhooks/callback-policy.js";

/**
 * What the service is built from: the one runtime (store, budget, trigger engine, transports)
 * and what only HTTP needs.
 *
 * @example
 * const deps: ServerDeps = { runtime: new Runtime({ store }), publicBaseUrl: "https://connector.example.com" };
 */
export interface ServerDeps {
  /** Validation, budget, operations and triggers: the routes only translate HTTP to it and back. */
  runtime: Runtime;
  /** pino options; `false` logs nothing. Secrets are redacted whatever is given. */
  logger?: ServiceLoggerOptions | false;
  /** The URL clients reach the service at, when it is not what they send in `Host` (a proxy). */
  publicBaseUrl?: string;
  /**
   * `CONNECTOR_ADMIN_KEY`: needed in `X-Admin-Key` to create connections. Unset: anyone in demo
   * mode, only this machine's callers when listening on loopback, nobody otherwise (`adminRule`).
   */
  adminKey?: string;
  /** The default connection is the in-process emulator's (no `INTERCOM_ACCESS_TOKEN`): see `adminKey`. */
  demoMode?: boolean;
  /** `ALLOWED_HOSTS`: the `Host` values (`host` or `host:port`) answered; others get 421 (`limitHosts`). */
  allowedHosts?: readonly string[];
  /**
   * `METRICS_TOKEN`: `GET /metrics` needs it as `Authorization: Bearer <token>`. Unset: the admin
   * API's rule (`adminKey` in `X-Admin-Key`, or this machine only, or anyone in demo mode).
   */
  metricsToken?: string;
  /** Events per 200 answer of a trigger poll (default 100). */
  pollBatchSize?: number;
  /**
   * Which webhook callback URLs may be subscribed (default: public addresses only, no
   * `localhost`); give the `WebhookDeliveryWorker` the same.
   */
  callbackPolicy?: CallbackPolicy;
  /** The folder of the web console's bundle (default `dist/console/`, what `npm run build` writes). */
  consoleAssetsDir?: string;
}

/** A fastify preHandler. */
export type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * What the route modules share: the deps and the preHandlers of authenticated routes.
 *
 * @example
 * app.get(path, { preHandler: ctx.authenticated }, handler);
 */
export interface RouteContext {
  deps: ServerDeps;
  runtime: Runtime;
  /** `requireApiKey`: the budget is the runtime's to spend, after validation. */
  authenticated: PreHandler[];
  now: () => number;
}
