import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { IntercomApiError } from "../errors.js";
import { decodeCursor, encodeCursor, type CursorPosition } from "../pagination.js";

/** Signs cursors for this process's life; the emulator keeps no state across restarts either. */
const KEY = randomBytes(32);
const FIELD = "starting_after";

function signature(scope: string, payload: string): Buffer {
  return createHmac("sha256", KEY).update(scope).update("\n").update(payload).digest().subarray(0, 16);
}

/**
 * Encodes a search position as an opaque `starting_after`, signed for its scope (workspace,
 * resource and sort), so an edited cursor, or one from another sort, is refused rather than
 * silently read.
 *
 * @example
 * const cursor = encodeSearchCursor("ws1/contacts/created_at/desc", { v: 1577869200, id: "abc", n: 50 });
 */
export function encodeSearchCursor(scope: string, position: CursorPosition): string {
  const payload = encodeCursor(position);
  return `${payload}.${signature(scope, payload).toString("base64url")}`;
}

/**
 * Reads a `starting_after` made by {@link encodeSearchCursor} for the same scope; anything else
 * is a 400 `parameter_invalid` on `starting_after`.
 *
 * @example
 * decodeSearchCursor("ws1/contacts/created_at/desc", cursor).id; // "abc"
 */
export function decodeSearchCursor(scope: string, raw: string): CursorPosition {
  const dot = raw.lastIndexOf(".");
  const payload = dot < 0 ? "" : raw.slice(0, dot);
  const given = Buffer.from(dot < 0 ? "" : raw.slice(dot + 1), "base64url");
  const expected = signature(scope, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new IntercomApiError(400, "parameter_invalid", `${FIELD} is not a valid cursor for this search`, { field: FIELD });
  }
  return decodeCursor(payload, FIELD);
}
