import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StoreError } from "./errors.js";
import { PRIVATE_FILE_MODE, restrictToOwner } from "./private-files.js";

/**
 * AES-256 takes a 32-byte key.
 *
 * @example
 * randomBytes(SECRET_KEY_BYTES).toString("base64"); // a valid CONNECTOR_SECRET_KEY
 */
export const SECRET_KEY_BYTES = 32;
/** GCM's recommended nonce length; a fresh random one per encryption. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Prefix of sealed values, so a later format (or key id) can be told apart. */
const FORMAT = "v1";
/**
 * Name of the generated key file under the data directory.
 *
 * @example
 * join(dataDir, SECRET_KEY_FILE); // "data/secret.key"
 */
export const SECRET_KEY_FILE = "secret.key";

/**
 * Encrypts `plaintext` with AES-256-GCM under `key`, with a random 12-byte IV. `associatedData`
 * (e.g. the connection id) is authenticated, not stored: decryption needs the same value, so a
 * sealed value copied to another row does not open.
 *
 * @example
 * const sealed = encryptSecret(key, "dG9rOj...", "conn_1"); // "v1:<iv>:<tag>:<ciphertext>"
 * decryptSecret(key, sealed, "conn_1"); // "dG9rOj..."
 */
export function encryptSecret(key: Buffer, plaintext: string, associatedData = ""): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [FORMAT, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

/**
 * Opens a value sealed by `encryptSecret`. Throws `StoreError` `decryption_failed` for a wrong
 * key, a wrong `associatedData`, or a tampered or malformed value.
 *
 * @example
 * decryptSecret(key, encryptSecret(key, "secret")); // "secret"
 */
export function decryptSecret(key: Buffer, sealed: string, associatedData = ""): string {
  assertKey(key);
  const parts = sealed.split(":");
  const [format, ivText, tagText, ciphertextText] = parts;
  if (parts.length !== 4 || format !== FORMAT || ivText === undefined || tagText === undefined || ciphertextText === undefined) {
    throw new StoreError("decryption_failed", "encrypted value has an unknown format");
  }
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new StoreError("decryption_failed", "encrypted value has an unknown format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new StoreError("decryption_failed", "cannot decrypt: wrong secret key or altered data (CONNECTOR_SECRET_KEY changed?)", { cause });
  }
}

/** The whole shape of a sealed value: the format, a 12-byte IV, a 16-byte tag, the ciphertext. */
const SEALED_SHAPE = new RegExp(`^${FORMAT}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$`);

/**
 * Whether `value` has the shape `encryptSecret` gives (`v1:` then the IV, tag and ciphertext in
 * base64url). Lets a column that once held clear text tell a sealed value from one an earlier
 * release wrote in clear; it says nothing of whether the value opens.
 *
 * @example
 * isSealedSecret(encryptSecret(key, "https://example.com/hook")); // true
 * isSealedSecret("https://example.com/hook"); // false
 */
export function isSealedSecret(value: string): boolean {
  return SEALED_SHAPE.test(value);
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe). Throws
 * `StoreError` `invalid_secret_key` otherwise.
 *
 * @example
 * parseSecretKey(randomBytes(32).toString("base64")).length; // 32
 */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  // 64 hex digits are also valid base64 (of 48 bytes), so hex is tried first.
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, "hex")
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
      ? Buffer.from(value, "base64")
      : Buffer.alloc(0);
  if (key.length !== SECRET_KEY_BYTES) {
    throw new StoreError("invalid_secret_key", `the secret key must be ${SECRET_KEY_BYTES} bytes, as 64 hex digits or base64`);
  }
  return key;
}

/**
 * Where the secret key came from: the environment, an existing key file, or a file just generated.
 *
 * @example
 * const loaded: LoadedSecretKey = { key, origin: "generated", path: "data/secret.key" };
 */
export type LoadedSecretKey = { key: Buffer; origin: "env" } | { key: Buffer; origin: "file" | "generated"; path: string };

/**
 * The key that encrypts access tokens: `envValue` (CONNECTOR_SECRET_KEY) when set, else the key
 * file under `dataDir`, generated with mode 0600 on first use (an existing one wider than 0600 is
 * narrowed to it). Concurrent first starts agree on
 * one key: the file is written aside and hard-linked into place, which fails if it already exists.
 *
 * @example
 * const { key, origin } = await loadSecretKey({ envValue: process.env.CONNECTOR_SECRET_KEY, dataDir: "./data" });
 */
export async function loadSecretKey(options: { envValue?: string | undefined; dataDir: string }): Promise<LoadedSecretKey> {
  if (options.envValue !== undefined && options.envValue.trim() !== "") {
    return { key: parseSecretKey(options.envValue), origin: "env" };
  }
  const path = join(options.dataDir, SECRET_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== null) return { key: existing, origin: "file", path };

  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  const aside = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(aside, `${key.toString("base64")}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  try {
    await link(aside, path);
    return { key, origin: "generated", path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readKeyFile(path);
    if (winner === null) throw error;
    return { key: winner, origin: "file", path };
  } finally {
    await unlink(aside);
  }
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  restrictToOwner(path);
  try {
    return parseSecretKey(text);
  } catch (cause) {
    throw new StoreError("invalid_secret_key", `${path} does not hold a valid secret key`, { cause });
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== SECRET_KEY_BYTES) throw new StoreError("invalid_secret_key", `the secret key must be ${SECRET_KEY_BYTES} bytes`);
}
