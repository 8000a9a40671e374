export { registerWebhookRoutes } from "./register.js";
export type { WebhookRouteDeps } from "./deps.js";
export { registerSubscriptionRoutes, webhookJson, deadLetterJson, redactCallbackUrl, REDACTED_QUERY_VALUE } from "./subscription-routes.js";
export { CallbackGuard, PUBLIC_CALLBACKS_ONLY, ANY_CALLBACK, allowedHostError, resolveWithDns } from "./callback-policy.js";
export type { CallbackPolicy, ResolveHost } from "./callback-policy.js";
export { callbackFetch, CallbackRefusedError } from "./callback-fetch.js";
export { blockedAddressKind, addressKindPhrase } from "./blocked-addresses.js";
export type { BlockedAddressKind } from "./blocked-addresses.js";
export { registerIntercomPushRoute } from "./intercom-routes.js";
export { WebhookDeliveryWorker } from "./worker.js";
export type { WebhookDeliveryWorkerOptions, WorkerLogger } from "./worker.js";
export { postWebhook, deliveryBody, webhookMessageId } from "./deliver.js";
export type { DeliveryAttempt, DeliveryOutcome } from "./deliver.js";
export { parseNotification } from "./intercom-push.js";
export type { IntercomNotification } from "./intercom-push.js";
export {
  WEBHOOK_SECRET_PREFIX,
  DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
  generateWebhookSecret,
  signWebhook,
  webhookHeaders,
  verifyWebhookSignature,
  verifyHubSignature,
} from "./signature.js";
export type { WebhookHeaders } from "./signature.js";
