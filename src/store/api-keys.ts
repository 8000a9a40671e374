import { createHash, randomBytes } from "node:crypto";

/**
 * Prefix of the connector's API keys, so a leaked one is recognisable (secret scanners).
 *
 * @example
 * apiKey.startsWith(API_KEY_PREFIX); // true
 */
export const API_KEY_PREFIX = "icc_";

/**
 * A fresh API key: the prefix and 32 random bytes in base64url.
 *
 * @example
 * generateApiKey(); // "icc_Jm3…"
 */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * The hash stored for an API key and looked up on each request. SHA-256 suffices because keys
 * carry 256 random bits (nothing to brute-force), and it stays deterministic, hence indexable,
 * where a salted scrypt would need a scan.
 *
 * @example
 * hashApiKey("icc_abc"); // 64 hex digits
 */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}
