import { createHmac } from "node:crypto";
import { isStoreError, StoreError } from "./errors.js";
import type { Store } from "./store.js";

/**
 * The settings key under which a store keeps its key check (an HMAC of a fixed label under the
 * secret key), written once at the first open and compared at every open after it.
 *
 * @example
 * await store.getSetting(KEY_CHECK_SETTING); // "v1:…" once the store has been opened migrated
 */
export const KEY_CHECK_SETTING = "store.secret-key-check";

/** Changing the label would make every store refuse its own key: it is part of the format. */
const LABEL = "intercom-connector: the secret key of this store";

/**
 * The key check of `secretKey`: says whether two keys are the same without revealing either.
 *
 * @example
 * keyCheckOf(key) === keyCheckOf(Buffer.from(key)); // true
 */
export function keyCheckOf(secretKey: Buffer): string {
  return `v1:${createHmac("sha256", secretKey).update(LABEL, "utf8").digest("base64url")}`;
}

function wrongKeyError(where: string): StoreError {
  return new StoreError(
    "wrong_secret_key",
    `this store was written under another secret key: set CONNECTOR_SECRET_KEY to the key this store was created with (${where})`,
  );
}

/**
 * What checking a store's key reads and writes: its recorded check, a way to record one
 * (insert-if-absent, returning what is recorded then), and whether the key opens the token of
 * one of its connections (`true` when it has none). SQLite's are synchronous, PostgreSQL's not.
 *
 * @example
 * const parts: KeyCheckParts = { recorded: () => settings.get(KEY_CHECK_SETTING), record: (v) => settings.claim(KEY_CHECK_SETTING, v), opensAToken: () => true };
 */
export interface KeyCheckParts<R = string | null, C = string, O = boolean> {
  recorded(): R;
  record(check: string): C;
  opensAToken(): O;
}

/**
 * Refuses to go on with a store written under another key, before anything is written with the
 * wrong one (a second default connection, tokens nobody else can read). The first open records
 * the key's check, insert-if-absent, so instances opening a new database at once agree on the
 * first one's key and the others are refused. A store from before the check records it only if
 * `secretKey` opens the token of one of its connections. Throws `StoreError` `wrong_secret_key`,
 * whose message ends with `where` (`its file: …` or `its database: …`) and never shows a key.
 *
 * @example
 * verifyStoreKeySync(parts, secretKey, "its file: /var/lib/connector/connector.db");
 */
export function verifyStoreKeySync(parts: KeyCheckParts, secretKey: Buffer, where: string): void {
  const expected = keyCheckOf(secretKey);
  let recorded = parts.recorded();
  if (recorded === null) {
    if (!opens(() => parts.opensAToken(), where)) throw wrongKeyError(where);
    recorded = parts.record(expected);
  }
  if (recorded !== expected) throw wrongKeyError(where);
}

/**
 * {@link verifyStoreKeySync} on parts that answer asynchronously (PostgreSQL).
 *
 * @example
 * await verifyStoreKey(parts, secretKey, "its database: postgres://db:5432/connector");
 */
export async function verifyStoreKey(parts: KeyCheckParts<Promise<string | null>, Promise<string>, Promise<boolean>>, secretKey: Buffer, where: string): Promise<void> {
  const expected = keyCheckOf(secretKey);
  let recorded = await parts.recorded();
  if (recorded === null) {
    let opened: boolean;
    try {
      opened = await parts.opensAToken();
    } catch (error) {
      if (isStoreError(error, "decryption_failed")) throw wrongKeyError(where);
      throw error;
    }
    if (!opened) throw wrongKeyError(where);
    recorded = await parts.record(expected);
  }
  if (recorded !== expected) throw wrongKeyError(where);
}

/**
 * {@link verifyStoreKey} on a whole store (PostgreSQL's, once migrated): its settings hold the
 * check, its first connection's token tells an older store's key.
 *
 * @example
 * await verifyStoreKeyOf(store, secretKey, `its database: ${databaseShown(url)}`);
 */
export async function verifyStoreKeyOf(store: Pick<Store, "getSetting" | "claimSetting" | "listConnections" | "getConnectionCredentials">, secretKey: Buffer, where: string): Promise<void> {
  await verifyStoreKey(
    {
      recorded: () => store.getSetting(KEY_CHECK_SETTING),
      record: (check) => store.claimSetting(KEY_CHECK_SETTING, check),
      opensAToken: async () => {
        const [first] = await store.listConnections();
        return first === undefined || (await store.getConnectionCredentials(first.id)) !== null;
      },
    },
    secretKey,
    where,
  );
}

function opens(read: () => boolean, where: string): boolean {
  try {
    return read();
  } catch (error) {
    if (isStoreError(error, "decryption_failed")) throw wrongKeyError(where);
    throw error;
  }
}

/**
 * A database URL as a message may show it: PostgreSQL's without user and password.
 *
 * @example
 * databaseShown("postgres://app:secret@db:5432/connector?schema=x"); // "postgres://db:5432/connector?schema=x"
 */
export function databaseShown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.searchParams.has("schema") ? `?schema=${parsed.searchParams.get("schema") ?? ""}` : ""}`;
  } catch {
    return "the PostgreSQL database in DATABASE_URL";
  }
}
