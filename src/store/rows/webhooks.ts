import { isClearCallbackUrl, openCallbackUrl, sealCallbackUrl } from "../callback-urls.js";
import { decryptSecret, encryptSecret } from "../crypto.js";
import type { NewWebhook, Webhook } from "../records.js";
import { toWebhook, type WebhookRow } from "../sqlite/rows.js";
import { assertNonEmpty } from "../validation.js";

/**
 * The associated data that binds a sealed signing secret to its webhook: copied into another row,
 * it does not decrypt. One binding for both stores.
 */
function secretBinding(subscriptionId: string): string {
  return `webhook:${subscriptionId}`;
}

/**
 * A new webhook's checked and sealed columns: its callback URL and signing secret.
 *
 * @example
 * const { callbackUrl, secretEncrypted } = sealNewWebhook(secretKey, { subscriptionId, callbackUrl: "https://example.com/hook", secret: "whsec_..." });
 */
export function sealNewWebhook(secretKey: Buffer, input: NewWebhook): { callbackUrl: string; secretEncrypted: string } {
  assertNonEmpty(input.subscriptionId, "subscriptionId");
  assertNonEmpty(input.callbackUrl, "callbackUrl");
  assertNonEmpty(input.secret, "secret");
  const secretEncrypted = encryptSecret(secretKey, input.secret, secretBinding(input.subscriptionId));
  return { callbackUrl: sealCallbackUrl(secretKey, input.subscriptionId, input.callbackUrl), secretEncrypted };
}

/**
 * A webhook row's signing secret opened.
 *
 * @example
 * openWebhookSecret(secretKey, row); // "whsec_..."
 */
export function openWebhookSecret(secretKey: Buffer, row: Pick<WebhookRow, "subscription_id" | "secret_encrypted">): string {
  return decryptSecret(secretKey, row.secret_encrypted, secretBinding(row.subscription_id));
}

/**
 * Whether a row's callback URL is one an earlier release wrote in clear and this key may seal: only
 * when the key opens the row's signing secret, that is, when it is the database's key (a store
 * opened under a throwaway key must not seal what the real key could then not read).
 *
 * @example
 * const toSeal = rows.filter((row) => sealsClearCallbackUrl(secretKey, row));
 */
export function sealsClearCallbackUrl(secretKey: Buffer, row: Pick<WebhookRow, "subscription_id" | "callback_url" | "secret_encrypted">): boolean {
  if (!isClearCallbackUrl(row.callback_url)) return false;
  try {
    openWebhookSecret(secretKey, row);
    return true;
  } catch {
    return false;
  }
}

/**
 * A webhook row as callers see it: its callback URL opened.
 *
 * @example
 * toOpenedWebhook(secretKey, row).callbackUrl; // "https://example.com/hook"
 */
export function toOpenedWebhook(secretKey: Buffer, row: WebhookRow): Webhook {
  return toWebhook({ ...row, callback_url: openCallbackUrl(secretKey, row.subscription_id, row.callback_url) });
}
