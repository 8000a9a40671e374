import type { FastifyInstance } from "fastify";
import type { WebhookRouteDeps } from "./deps.js";
import { registerIntercomPushRoute } from "./intercom-routes.js";
import { registerSubscriptionRoutes } from "./subscription-routes.js";

/**
 * Adds the webhook face to a service: the subscription endpoints (create with a callback URL,
 * get, delete, dead letters and their replay; behind the connection's API key) and
 * `POST /intercom/webhooks/{connectionId}` for Intercom's signed pushes. Deliveries are made by a
 * {@link WebhookDeliveryWorker} the service starts beside it. Needs `installErrorHandling` on the
 * app (the one error shape) and `request.connection` declared (see `requireApiKey`).
 *
 * @example
 * installErrorHandling(app);
 * registerWebhookRoutes(app, { runtime });
 * const worker = new WebhookDeliveryWorker({ runtime, logger: app.log });
 * worker.start();
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  registerSubscriptionRoutes(app, deps);
  registerIntercomPushRoute(app, deps);
}
