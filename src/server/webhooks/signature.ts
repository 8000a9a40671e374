import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The prefix of a Standard Webhooks signing secret; the rest is the key in base64.
 *
 * @example
 * generateWebhookSecret().startsWith(WEBHOOK_SECRET_PREFIX); // true
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** Random bytes in a fresh signing secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

/**
 * How far a `webhook-timestamp` may be from the verifier's clock by default (Standard Webhooks'
 * recommended five minutes), which bounds replays of a captured delivery.
 *
 * @example
 * verifyWebhookSignature(secret, message, { toleranceSeconds: DEFAULT_TIMESTAMP_TOLERANCE_SECONDS });
 */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * The three Standard Webhooks headers of a delivery, by their (lower-case) names.
 *
 * @example
 * const headers: WebhookHeaders = { "webhook-id": "42", "webhook-timestamp": "1700000000", "webhook-signature": "v1,K5o…" };
 */
export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * A fresh signing secret: `whsec_` and 32 random bytes in base64.
 *
 * @example
 * generateWebhookSecret(); // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwqbE1NB6nxK0="
 */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** The HMAC key of a secret: the base64-decoded bytes after the (optional) `whsec_` prefix. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  if (key.length === 0) throw new RangeError("the webhook secret holds no key");
  return key;
}

/**
 * The `webhook-signature` of a message, the Standard Webhooks way: `v1,` and the base64
 * HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with the secret's decoded bytes.
 *
 * @example
 * signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", { id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}' });
 * // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 */
export function signWebhook(secret: string, message: { id: string; timestamp: number; body: string }): string {
  const digest = createHmac("sha256", secretKey(secret)).update(`${message.id}.${message.timestamp}.${message.body}`, "utf8").digest("base64");
  return `v1,${digest}`;
}

/**
 * The headers that deliver `body` as message `id` at `timestamp` (unix seconds), signed.
 *
 * @example
 * const headers = webhookHeaders(secret, { id: "42", timestamp: Math.floor(Date.now() / 1000), body });
 * await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 */
export function webhookHeaders(secret: string, message: { id: string; timestamp: number; body: string }): WebhookHeaders {
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(message.timestamp),
    "webhook-signature": signWebhook(secret, message),
  };
}

function header(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a delivery as a receiver should: the timestamp within `toleranceSeconds` of `nowSeconds`,
 * and one of the space-separated `v1,` signatures equal, in constant time, to the expected one.
 *
 * @example
 * if (!verifyWebhookSignature(secret, { headers: req.headers, body: rawBody })) res.statusCode = 401;
 */
export function verifyWebhookSignature(
  secret: string,
  message: { headers: Readonly<Record<string, string | string[] | undefined>>; body: string },
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const id = header(message.headers, "webhook-id");
  const timestampText = header(message.headers, "webhook-timestamp");
  const signatures = header(message.headers, "webhook-signature");
  if (id === undefined || timestampText === undefined || signatures === undefined || !/^\d+$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, { id, timestamp, body: message.body }).slice("v1,".length), "base64");
  return signatures.split(" ").some((candidate) => {
    if (!candidate.startsWith("v1,")) return false;
    const given = Buffer.from(candidate.slice("v1,".length), "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Checks Intercom's `X-Hub-Signature` (`sha1=` and the hex HMAC-SHA1 of the raw body, keyed with
 * the app's client secret) in constant time. A missing or malformed header is false.
 *
 * @example
 * verifyHubSignature(clientSecret, request.body as Buffer, request.headers["x-hub-signature"]);
 */
export function verifyHubSignature(clientSecret: string, rawBody: Buffer, headerValue: string | string[] | undefined): boolean {
  const value = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  if (value === undefined || !value.startsWith("sha1=")) return false;
  const given = value.slice("sha1=".length).toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(given)) return false;
  const expected = createHmac("sha1", clientSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(given, "hex"), expected);
}
