import { connectorError, err, ok, parseInput, type ConnectorError, type Result, type TriggerId } from "../../contract/index.js";
import type { Runtime } from "../../runtime/index.js";
import { isStoreError, type Webhook } from "../../store/index.js";
import { CALLBACK_URL_PROPERTY } from "../openapi/index.js";
import { webhookSubscriptionRequestFor } from "../openapi/trigger-filters.js";
import type { CallbackGuard } from "./callback-policy.js";
import { generateWebhookSecret } from "./signature.js";

/**
 * Subscribes a connection's webhook to a trigger, the one way every face does it (the API's
 * `POST /v1/triggers/{TriggerId}/subscriptions` and the console): the body is checked by the
 * contract (`{callback_url}`), the callback URL by the policy before anything is stored, then a
 * subscription is made from now and its baseline scanned (one unit of budget) before the webhook
 * row is written. Any failure leaves no subscription behind. The signing secret is answered this
 * once.
 *
 * @example
 * const made = await subscribeWebhook({ runtime, guard }, connectionId, "TrigNewLead", { callback_url: "https://hooks.example.com/in" });
 * if (made.ok) console.log(made.value.webhook.subscriptionId, made.value.secret);
 */
export async function subscribeWebhook(
  deps: { runtime: Runtime; guard: CallbackGuard },
  connectionId: string,
  triggerId: TriggerId,
  body: unknown,
): Promise<Result<{ webhook: Webhook; secret: string }, ConnectorError>> {
  const { runtime, guard } = deps;
  const input = parseInput(webhookSubscriptionRequestFor(triggerId), body ?? {});
  if (!input.ok) return input;
  // Before anything is stored: a refused callback leaves no subscription behind.
  const allowed = await guard.checkCallback(input.value.callback_url);
  if (!allowed.ok) return err(connectorError("invalid_input", { field: CALLBACK_URL_PROPERTY, reason: allowed.error }, { field: CALLBACK_URL_PROPERTY }));
  const subscribed = await runtime.subscribe(connectionId, triggerId, { filters: input.value.filters });
  if (!subscribed.ok) return subscribed;
  const subscription = subscribed.value;
  let created = false;
  try {
    // The baseline: what exists now is never an event. Without it the trigger cannot start from now.
    const baseline = await runtime.engine.poll(subscription.id);
    if (!baseline.ok) return baseline;
    const secret = generateWebhookSecret();
    try {
      const webhook = await runtime.store.createWebhook({ subscriptionId: subscription.id, callbackUrl: input.value.callback_url, secret });
      created = true;
      return ok({ webhook, secret });
    } catch (error) {
      // The connection (and so its new subscription) was deleted while the baseline ran.
      if (isStoreError(error, "not_found")) return err(connectorError("not_found", { resource: "connection", id: connectionId }));
      throw error;
    }
  } finally {
    if (!created) await runtime.store.deleteSubscription(subscription.id);
  }
}
