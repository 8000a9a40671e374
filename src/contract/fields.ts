import { z } from "zod";

/** Intercom caps contact string attributes at 255 characters; checking here keeps bad input local. */
const MAX_TEXT = 255;

/**
 * An email address (Intercom's own limit of 255 characters).
 *
 * @example
 * EmailField.parse("ada@example.com");
 */
export const EmailField = z.email({ error: "must be a valid email address" }).max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });

/**
 * A free text attribute such as a name or phone number.
 *
 * @example
 * TextField.parse("Ada Lovelace");
 */
export const TextField = z.string({ error: "must be a string" }).max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });

/**
 * An https URL: Intercom requires avatar image URLs to be https.
 *
 * @example
 * HttpsUrlField.parse("https://example.com/ada.png");
 */
export const HttpsUrlField = z
  .url({ protocol: /^https$/, error: "must be an https URL" })
  .max(2048, { error: "must be at most 2048 characters" });

/**
 * An Intercom object id as typed by a user: non-empty, no whitespace or URL delimiters (it goes
 * into a request path).
 *
 * @example
 * IdField.parse("6762f0a51bb69f9f2193bb5c");
 */
export const IdField = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
  .regex(/^[^\s/?#%]+$/, { error: "must not contain spaces or the characters / ? # %" });

/**
 * A customer-defined company id (Intercom's `company_id`).
 *
 * @example
 * CompanyIdField.parse("acme-001");
 */
export const CompanyIdField = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });

/**
 * An ISO 8601 UTC timestamp with milliseconds, the contract's only time format.
 *
 * @example
 * IsoTimestamp.parse("2026-11-24T12:30:38.000Z");
 */
export const IsoTimestamp = z.iso.datetime({ precision: 3 });

/**
 * Unix seconds (Intercom's unit) as the contract's ISO 8601 UTC timestamp with milliseconds.
 *
 * @example
 * isoFromUnixSeconds(1795523438); // "2026-11-24T12:30:38.000Z"
 */
export function isoFromUnixSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
