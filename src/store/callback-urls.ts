import { decryptSecret, encryptSecret, isSealedSecret } from "./crypto.js";
import { StoreError } from "./errors.js";

/**
 * Callback URLs are secrets: Power Automate's carry a `sig` query parameter that alone authorises
 * triggering the flow. Both stores keep them sealed (AES-256-GCM, like access tokens) in the
 * `callback_url` column, bound to their webhook so a sealed URL copied to another row does not
 * open. The binding differs from the signing secret's, so the two sealed values of one webhook
 * cannot stand in for each other.
 */
function callbackBinding(subscriptionId: string): string {
  return `webhook-callback:${subscriptionId}`;
}

/**
 * Seals a webhook's callback URL for the `callback_url` column.
 *
 * @example
 * const stored = sealCallbackUrl(key, "sub_1", "https://prod-01.example.com/invoke?sig=abc"); // "v1:…"
 */
export function sealCallbackUrl(key: Buffer, subscriptionId: string, callbackUrl: string): string {
  return encryptSecret(key, callbackUrl, callbackBinding(subscriptionId));
}

/**
 * The callback URL held in a `callback_url` column. Releases before sealing wrote it in clear,
 * and such a row is read as it is: a sealed value has the shape `isSealedSecret` tells (`v1:` and
 * three base64url parts), which no clear http(s) URL has, since the API only ever accepted those.
 * A value that is neither is damage, and throws `decryption_failed` rather than being delivered to.
 *
 * @example
 * openCallbackUrl(key, "sub_1", sealCallbackUrl(key, "sub_1", url)); // url
 * openCallbackUrl(key, "sub_1", "https://example.com/hook"); // "https://example.com/hook" (written in clear by an earlier release)
 */
export function openCallbackUrl(key: Buffer, subscriptionId: string, stored: string): string {
  if (isSealedSecret(stored)) return decryptSecret(key, stored, callbackBinding(subscriptionId));
  if (isClearCallbackUrl(stored)) return stored;
  throw new StoreError("decryption_failed", `the callback URL of webhook ${subscriptionId} is neither sealed nor a URL`);
}

/**
 * Whether a stored `callback_url` is one an earlier release wrote in clear (an http or https
 * URL), which the stores seal when they open.
 *
 * @example
 * isClearCallbackUrl("https://example.com/hook"); // true
 * isClearCallbackUrl(sealCallbackUrl(key, "sub_1", "https://example.com/hook")); // false
 */
export function isClearCallbackUrl(stored: string): boolean {
  return /^https?:\/\//i.test(stored);
}
