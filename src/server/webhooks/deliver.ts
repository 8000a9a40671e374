import type { OutboxEvent } from "../../store/index.js";
import { CallbackRefusedError } from "./callback-fetch.js";
import { webhookHeaders } from "./signature.js";

/**
 * What one delivery attempt came to: acknowledged (a 2xx), or failed with a reason fit to store
 * and show (`HTTP 503`, `connection failed: ECONNREFUSED`, `no answer within 10000 ms`, `refused: the
 * callback's host resolves to a loopback address…`). The reason never contains the callback URL's
 * path or query, which may carry a credential (Power Automate's `sig=`).
 *
 * @example
 * const outcome: DeliveryOutcome = { ok: false, error: "HTTP 500" };
 */
export type DeliveryOutcome = { ok: true; status: number } | { ok: false; error: string; status?: number };

/**
 * One delivery to make: where, signed with what, and which event.
 *
 * @example
 * const attempt: DeliveryAttempt = { callbackUrl, secret, event, timestampSeconds: Math.floor(Date.now() / 1000), timeoutMs: 10_000 };
 */
export interface DeliveryAttempt {
  callbackUrl: string;
  secret: string;
  event: OutboxEvent;
  /** The `webhook-timestamp`: when the attempt is made, in unix seconds. */
  timestampSeconds: number;
  timeoutMs: number;
}

/** The `User-Agent` of deliveries. */
const USER_AGENT = "intercom-connector-webhooks/1";

/**
 * The body of an event's delivery: the trigger's contract shape (what a Power Automate webhook
 * trigger and the polling endpoint both return for one item), as JSON.
 *
 * @example
 * deliveryBody(event); // '{"id":"6650e1f2a7","created_at":"2026-11-24T12:30:38.000Z",…}'
 */
export function deliveryBody(event: OutboxEvent): string {
  return JSON.stringify(event.payload);
}

/**
 * The Standard Webhooks message id of an event: its outbox id, the same on every attempt, so a
 * receiver can drop a delivery it already processed.
 *
 * @example
 * webhookMessageId(event); // "1042"
 */
export function webhookMessageId(event: OutboxEvent): string {
  return String(event.id);
}

function failureReason(error: unknown, timeoutMs: number): string {
  // The callback policy refused the address: before a byte was sent, and said why.
  const refused = error instanceof CallbackRefusedError ? error : error instanceof Error && error.cause instanceof CallbackRefusedError ? error.cause : null;
  if (refused !== null) return `refused: ${refused.message}`;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return `connection failed: ${cause.code}`;
  return "connection failed";
}

/**
 * POSTs one event to its callback URL, signed the Standard Webhooks way (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). Redirects are not followed (a 3xx is a failure), and
 * the answer's body is not read. Where it may connect is `fetchImpl`'s to decide: the worker's
 * keeps to the callback policy (`callbackFetch`).
 *
 * @example
 * const outcome = await postWebhook({ callbackUrl, secret, event, timestampSeconds: Math.floor(Date.now() / 1000), timeoutMs: 10_000 });
 * if (outcome.ok) await store.ackEvents(event.subscriptionId, [event.id]);
 */
export async function postWebhook(attempt: DeliveryAttempt, fetchImpl: typeof fetch = fetch): Promise<DeliveryOutcome> {
  const body = deliveryBody(attempt.event);
  const headers = webhookHeaders(attempt.secret, { id: webhookMessageId(attempt.event), timestamp: attempt.timestampSeconds, body });
  let response: Response;
  try {
    response = await fetchImpl(attempt.callbackUrl, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": USER_AGENT },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(attempt.timeoutMs),
    });
  } catch (error) {
    return { ok: false, error: failureReason(error, attempt.timeoutMs) };
  }
  // The answer's body means nothing to us; dropping it frees the socket.
  await response.body?.cancel().catch(() => undefined);
  return response.status >= 200 && response.status < 300 ? { ok: true, status: response.status } : { ok: false, error: `HTTP ${response.status}`, status: response.status };
}
