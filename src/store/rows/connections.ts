import { randomUUID } from "node:crypto";
import { generateApiKey, hashApiKey } from "../api-keys.js";
import { decryptSecret, encryptSecret } from "../crypto.js";
import type { ConnectionChanges, ConnectionCredentials, NewConnection } from "../records.js";
import { type ConnectionRow, toConnection } from "../sqlite/rows.js";
import { assertNonEmpty, assertRegion } from "../validation.js";

/**
 * The associated data that binds a sealed token to its connection: a token copied into another
 * row does not decrypt there. One binding for both stores, so a sealed value means the same in each.
 */
function tokenBinding(connectionId: string): string {
  return `connection:${connectionId}`;
}

/** The associated data of a sealed Intercom client secret (distinct from the token's). */
function clientSecretBinding(connectionId: string): string {
  return `intercom-client-secret:${connectionId}`;
}

function sealClientSecret(secretKey: Buffer, connectionId: string, secret: string | null): string | null {
  return secret === null ? null : encryptSecret(secretKey, secret, clientSecretBinding(connectionId));
}

/**
 * A new `connections` row, checked and sealed (token and client secret under `secretKey`), and
 * the API key whose hash it holds: the key itself is handed out once and never stored.
 *
 * @example
 * const { row, apiKey } = newConnectionRow(secretKey, { name: "Acme", region: "us", accessToken: "tok" }, Date.now);
 */
export function newConnectionRow(secretKey: Buffer, input: NewConnection, clock: () => number): { row: ConnectionRow; apiKey: string } {
  assertNonEmpty(input.name, "name");
  assertRegion(input.region);
  assertNonEmpty(input.accessToken, "accessToken");
  if (input.intercomClientSecret !== undefined && input.intercomClientSecret !== null) assertNonEmpty(input.intercomClientSecret, "intercomClientSecret");
  const id = randomUUID();
  const apiKey = generateApiKey();
  const row: ConnectionRow = {
    id,
    name: input.name,
    region: input.region,
    base_url: input.baseUrl ?? null,
    access_token_encrypted: encryptSecret(secretKey, input.accessToken, tokenBinding(id)),
    api_key_hash: hashApiKey(apiKey),
    intercom_client_secret_encrypted: sealClientSecret(secretKey, id, input.intercomClientSecret ?? null),
    created_at: clock(),
  };
  return { row, apiKey };
}

/**
 * Throws unless every given change is valid. Apart from `changedConnectionRow` so that a store
 * checks before it reads (and, in PostgreSQL, locks) the row.
 *
 * @example
 * assertConnectionChanges({ region: "eu" });
 */
export function assertConnectionChanges(changes: ConnectionChanges): void {
  if (changes.name !== undefined) assertNonEmpty(changes.name, "name");
  if (changes.region !== undefined) assertRegion(changes.region);
  if (changes.accessToken !== undefined) assertNonEmpty(changes.accessToken, "accessToken");
  if (changes.intercomClientSecret !== undefined && changes.intercomClientSecret !== null) assertNonEmpty(changes.intercomClientSecret, "intercomClientSecret");
}

/**
 * The row with `changes` (checked by `assertConnectionChanges`) applied, a new token or client
 * secret sealed; `null` clears the base URL or the client secret.
 *
 * @example
 * const next = changedConnectionRow(secretKey, row, { accessToken: "tok2" });
 */
export function changedConnectionRow(secretKey: Buffer, row: ConnectionRow, changes: ConnectionChanges): ConnectionRow {
  return {
    ...row,
    name: changes.name ?? row.name,
    region: changes.region ?? row.region,
    base_url: changes.baseUrl === undefined ? row.base_url : changes.baseUrl,
    access_token_encrypted:
      changes.accessToken === undefined ? row.access_token_encrypted : encryptSecret(secretKey, changes.accessToken, tokenBinding(row.id)),
    intercom_client_secret_encrypted:
      changes.intercomClientSecret === undefined ? row.intercom_client_secret_encrypted : sealClientSecret(secretKey, row.id, changes.intercomClientSecret),
  };
}

/**
 * A connection row as its poller sees it: the connection and its token opened.
 *
 * @example
 * toConnectionCredentials(secretKey, row).accessToken; // "tok"
 */
export function toConnectionCredentials(secretKey: Buffer, row: ConnectionRow): ConnectionCredentials {
  return { ...toConnection(row), accessToken: decryptSecret(secretKey, row.access_token_encrypted, tokenBinding(row.id)) };
}

/**
 * A connection row's Intercom client secret opened, or `null` when it has none.
 *
 * @example
 * openClientSecret(secretKey, row); // "cs_..." or null
 */
export function openClientSecret(secretKey: Buffer, row: Pick<ConnectionRow, "id" | "intercom_client_secret_encrypted">): string | null {
  const sealed = row.intercom_client_secret_encrypted;
  return sealed === null ? null : decryptSecret(secretKey, sealed, clientSecretBinding(row.id));
}
