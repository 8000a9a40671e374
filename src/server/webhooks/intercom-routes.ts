import type { FastifyInstance } from "fastify";
import { connectorError } from "../../contract/index.js";
import { isStoreError } from "../../store/index.js";
import { addRoute } from "../add-route.js";
import { sendError } from "../errors.js";
import { INTERCOM_PUSH_ROUTE } from "../routes.js";
import type { WebhookRouteDeps } from "./deps.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { triggersForTopic } from "../../triggers/index.js";
import { parseNotification } from "./intercom-push.js";
import { verifyHubSignature } from "./signature.js";

/** The header Intercom signs its pushes in. */
const HUB_SIGNATURE_HEADER = "x-hub-signature";

/**
 * `POST /intercom/webhooks/{connectionId}`: Intercom's pushes for one connection. The raw body is
 * kept (a content-type parser of this route alone) and its `X-Hub-Signature` checked in constant
 * time against the connection's Intercom client secret; a missing or wrong signature, an unknown
 * connection or one without a client secret is 401 `invalid_signature`, and nothing is stored.
 * A verified `notification_event` of a topic some trigger takes (`pushTopics` in its definition) becomes that trigger's event, with
 * the dedupe key its poll would use, appended to the outbox of every active subscription of that
 * connection and trigger: the poll that later sees the same item adds nothing. Other topics are
 * acknowledged (200) and ignored. When Intercom cannot be asked for the names the event needs,
 * the answer is that error (503, …) and Intercom retries; the poll catches up in any case.
 *
 * @example
 * registerIntercomPushRoute(app, { runtime });
 * // Intercom app settings → Webhooks: https://connector.example.com/intercom/webhooks/<connection id>
 */
export function registerIntercomPushRoute(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { runtime } = deps;
  const { store } = runtime;
  // A scope of its own: the raw-body parser must not change how other routes read JSON.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

    addRoute<{ Params: { connectionId: string } }>(scope, INTERCOM_PUSH_ROUTE, {}, async (request, reply) => {
      const { connectionId } = request.params;
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let clientSecret: string | null;
      try {
        clientSecret = await store.getIntercomClientSecret(connectionId);
      } catch (error) {
        // A secret that no longer decrypts (CONNECTOR_SECRET_KEY changed) verifies nothing.
        if (!isStoreError(error, "decryption_failed")) throw error;
        request.log.error({ connectionId }, "Intercom push: the connection's client secret does not decrypt");
        clientSecret = null;
      }
      if (clientSecret === null || !verifyHubSignature(clientSecret, rawBody, request.headers[HUB_SIGNATURE_HEADER])) {
        request.log.warn({ connectionId, reason: clientSecret === null ? "no client secret" : "signature mismatch" }, "Intercom push refused");
        return sendError(reply, connectorError("invalid_signature", {}));
      }

      const notification = parseNotification(rawBody);
      if (!notification.ok) return sendError(reply, notification.error);
      const { topic, item } = notification.value;
      const triggers = triggersForTopic(topic);
      if (triggers.length === 0) return { topic, ignored: true, appended: 0 };

      let appended = 0;
      let intercom: IntercomTransport | null = null;
      for (const trigger of triggers) {
        const triggerId = trigger.id;
        // Expired polling subscriptions (abandoned by Power Automate) are left out.
        const subscriptions = await runtime.engine.activeSubscriptions(connectionId, triggerId);
        if (subscriptions.length === 0) continue;
        if (intercom === null) {
          const found = await runtime.intercomForPush(connectionId);
          if (!found.ok) return sendError(reply, found.error);
          intercom = found.value;
        }
        const event = await trigger.fromPush(item, intercom);
        if (!event.ok) return sendError(reply, event.error);
        if (event.value === null) continue;
        for (const subscription of subscriptions) {
          // A subscription gets only the events its flow's filters pass.
          if (!trigger.passes(event.value.payload, subscription.filters)) continue;
          try {
            appended += await runtime.engine.append(subscription.id, [event.value]);
          } catch (error) {
            // Deleted since it was listed: nothing to feed.
            if (!isStoreError(error, "not_found")) throw error;
          }
        }
      }
      request.log.info({ connectionId, topic, triggers: triggers.map((t) => t.id), appended }, "Intercom push received");
      return { topic, ignored: false, appended };
    });
  });
}
