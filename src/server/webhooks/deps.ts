import type { Runtime } from "../../runtime/index.js";
import type { DeliveryRetryPolicy } from "../../store/index.js";
import type { CallbackPolicy } from "./callback-policy.js";

/**
 * What the webhook routes are built from.
 *
 * @example
 * const deps: WebhookRouteDeps = { runtime, publicBaseUrl: "https://connector.example.com" };
 */
export interface WebhookRouteDeps {
  /** Store, trigger engine (subscribes and makes each baseline poll; the worker polls afterwards) and transports. */
  runtime: Runtime;
  /** The URL clients reach the service at (for `Location`), when it is not what they send in `Host`. */
  publicBaseUrl?: string;
  /** The retry policy the worker applies, shown to subscribers (default: 5 s doubling to 1 h, for 24 h). */
  deliveryPolicy?: DeliveryRetryPolicy;
  /** Which callback URLs may be subscribed (default: public addresses only); the worker's should match. */
  callbackPolicy?: CallbackPolicy;
}
