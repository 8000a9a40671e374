import type { IntercomTransport } from "../../intercom/index.js";
import type { ConnectionCallBudget } from "../../limits/index.js";
import type { DeliveryRetryPolicy, Store } from "../../store/index.js";
import type { TriggerEngine } from "../../triggers/index.js";
import type { CallbackPolicy } from "./callback-policy.js";

/**
 * What the webhook routes are built from.
 *
 * @example
 * const deps: WebhookRouteDeps = { store, engine, transportFor, budget, publicBaseUrl: "https://connector.example.com" };
 */
export interface WebhookRouteDeps {
  store: Store;
  /** Subscribes triggers and makes their baseline poll (the worker polls them afterwards). */
  engine: TriggerEngine;
  /** A connection's Intercom transport: pushed items need company, tag and role names. */
  transportFor: (connectionId: string) => Promise<IntercomTransport>;
  /** When given, each authenticated webhook request spends one call of its connection's budget. */
  budget?: ConnectionCallBudget;
  /** The URL clients reach the service at (for `Location`), when it is not what they send in `Host`. */
  publicBaseUrl?: string;
  /** The retry policy the worker applies, shown to subscribers (default: 5 s doubling to 1 h, for 24 h). */
  deliveryPolicy?: DeliveryRetryPolicy;
  /** Which callback URLs may be subscribed (default: public addresses only); the worker's should match. */
  callbackPolicy?: CallbackPolicy;
}
