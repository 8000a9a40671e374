import { createHmac } from "node:crypto";
import type { Connector } from "../connector/index.js";
import { resolveBaseUrl } from "../intercom/index.js";
import type { Store } from "../store/index.js";
import type { CliSettings } from "./settings.js";

/**
 * The settings key under which the CLI keeps the id of the connection made from the environment's
 * credentials: an HMAC (keyed with the store's secret key) of the token and the base URL, so the
 * store never holds the token in clear, and a stolen database does not let anyone test guesses.
 *
 * @example
 * envConnectionKey(secretKey, "tok", "https://api.intercom.io"); // "cli.connection.3f9a…"
 */
export function envConnectionKey(secretKey: Buffer, accessToken: string, baseUrl: string): string {
  const digest = createHmac("sha256", secretKey).update(`intercom-connector/env-connection\n${baseUrl}\n${accessToken}`, "utf8").digest("hex");
  return `cli.connection.${digest}`;
}

/**
 * The settings key of the subscription `watch` resumes for a connection and trigger.
 *
 * @example
 * watchSubscriptionKey("6f1c…", "TrigNewLead"); // "cli.watch.6f1c….TrigNewLead"
 */
export function watchSubscriptionKey(connectionId: string, triggerId: string): string {
  return `cli.watch.${connectionId}.${triggerId}`;
}

/**
 * The id of the connection for the environment's credentials: created once, then found again
 * through {@link envConnectionKey}.
 *
 * @example
 * const connectionId = await ensureEnvConnection(store, connector, secretKey, settings);
 */
export async function ensureEnvConnection(store: Store, connector: Connector, secretKey: Buffer, settings: CliSettings): Promise<string> {
  const baseUrl = resolveBaseUrl(settings.baseUrl === undefined ? { region: settings.region } : { baseUrl: settings.baseUrl });
  const key = envConnectionKey(secretKey, settings.accessToken, baseUrl);
  const known = await store.getSetting(key);
  if (known !== null) {
    if ((await store.getConnection(known)) !== null) return known;
    await store.deleteSetting(key); // its connection was deleted: make a new one below
  }
  const added = await connector.addConnection({
    access_token: settings.accessToken,
    region: settings.region,
    ...(settings.baseUrl === undefined ? {} : { base_url: settings.baseUrl }),
    name: `CLI (${new URL(baseUrl).host})`,
  });
  // The same rules as every face: a bad token or URL in the environment is the CLI's usage error.
  if (!added.ok) throw added.error;
  const { connection } = added.value;
  // Another process may have made one meanwhile: the first to claim the key wins.
  const winner = await store.claimSetting(key, connection.id);
  if (winner !== connection.id) await store.deleteConnection(connection.id);
  return winner;
}
