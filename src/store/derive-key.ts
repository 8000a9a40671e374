import { hkdfSync } from "node:crypto";
import { SECRET_KEY_BYTES } from "./crypto.js";

/**
 * A 32-byte key for one purpose, derived from the store's secret key by HKDF-SHA256 with the
 * purpose as its label: what one purpose's key signs or seals says nothing to another's, and no
 * second secret needs configuring (every instance with the same `CONNECTOR_SECRET_KEY` derives
 * the same key). Throws a `RangeError` for an empty purpose.
 *
 * @example
 * const key = deriveSubkey(secretKey, "intercom-connector/poll-state/v1");
 * createHmac("sha256", key).update(payload).digest();
 */
export function deriveSubkey(secretKey: Buffer, purpose: string): Buffer {
  if (purpose === "") throw new RangeError("a derived key needs a purpose");
  // No salt: the secret key is already uniformly random (RFC 5869 §3.1).
  return Buffer.from(hkdfSync("sha256", secretKey, Buffer.alloc(0), Buffer.from(purpose, "utf8"), SECRET_KEY_BYTES));
}
