import type { FastifyReply, FastifyRequest } from "fastify";
import type { IntercomTransport } from "../intercom/index.js";
import type { ConnectionCallBudget } from "../limits/index.js";
import type { Store } from "../store/index.js";
import type { TriggerEngine } from "../triggers/index.js";
import type { ServiceLoggerOptions } from "./logger.js";
import type { CallbackPolicy } from "./webhooks/callback-policy.js";

/**
 * What the service is built from.
 *
 * @example
 * const transports = createTransportCache(store);
 * const deps: ServerDeps = {
 *   store,
 *   budget: new ConnectionCallBudget(store),
 *   engine: new TriggerEngine({ store, transportFor: transports.transportFor }),
 *   transportFor: transports.transportFor,
 *   forgetTransport: transports.forget,
 * };
 */
export interface ServerDeps {
  store: Store;
  /** Spent once per authenticated request. */
  budget: ConnectionCallBudget;
  /**
   * Polls triggers for the Power Automate endpoints. Build it without a `budget`: the service
   * already spends one call per request, a poll included.
   */
  engine: TriggerEngine;
  /** A connection's Intercom transport (cache it: see `createTransportCache`). */
  transportFor: (connectionId: string) => Promise<IntercomTransport>;
  /** Called when a connection is deleted, to drop its cached transport. */
  forgetTransport?: (connectionId: string) => void;
  /** pino options; `false` logs nothing. Secrets are redacted whatever is given. */
  logger?: ServiceLoggerOptions | false;
  /** The URL clients reach the service at, when it is not what they send in `Host` (a proxy). */
  publicBaseUrl?: string;
  /** `CONNECTOR_ADMIN_KEY`: needed in `X-Admin-Key` to create connections; unset, only loopback may. */
  adminKey?: string;
  /** Epoch milliseconds (when a subscription's Intercom poll is due); tests inject one. */
  now?: () => number;
  /** Events per 200 answer of a trigger poll (default 100). */
  pollBatchSize?: number;
  /**
   * Which webhook callback URLs may be subscribed (default: public addresses only, no
   * `localhost`); give the `WebhookDeliveryWorker` the same.
   */
  callbackPolicy?: CallbackPolicy;
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
  /** `requireApiKey` then the call budget. */
  authenticated: PreHandler[];
  now: () => number;
}
