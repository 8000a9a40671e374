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

/** The longest URL the contract takes: what browsers and proxies reliably carry. */
export const MAX_URL_LENGTH = 2048;

/** C0 and C1 control characters, DEL, and every Unicode space: never part of a URL as written. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/u;

/**
 * Why `value` is not a web URL the connector may store and call, or `null`: at most
 * {@link MAX_URL_LENGTH} characters (checked before parsing, so a 900 KB value costs nothing), no
 * control character or whitespace (WHATWG parsing would silently drop a tab or newline), one of
 * `protocols`, and no user name or password (it would be stored and shown in clear). The reason
 * never repeats the URL: it may carry a secret.
 *
 * @example
 * webUrlProblem("https://user:pw@example.com/hook", ["https:"]); // "must not carry a user name or password"
 * webUrlProblem("https://example.com/hook", ["https:"]); // null
 */
export function webUrlProblem(value: string, protocols: readonly string[]): string | null {
  const expected = protocols.includes("http:") ? "must be an http or https URL" : "must be an https URL";
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (CONTROL_OR_SPACE.test(value)) return "must not contain spaces or control characters";
  // new URL's error would carry the input; canParse keeps it out of every message and log.
  if (!URL.canParse(value)) return expected;
  const url = new URL(value);
  if (!protocols.includes(url.protocol) || url.hostname === "") return expected;
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  return null;
}

/**
 * A web URL field: a string that {@link webUrlProblem} finds nothing wrong with, shown in JSON
 * Schema (and so Swagger) as `format: uri` with its length limit.
 *
 * @example
 * const Callback = webUrlField(["http:", "https:"]);
 * Callback.parse("https://example.com/hook");
 */
export function webUrlField(protocols: readonly string[]): z.ZodString {
  return z
    .string({ error: "must be a string" })
    .max(MAX_URL_LENGTH, { error: `must be at most ${MAX_URL_LENGTH} characters`, abort: true })
    .superRefine((value, ctx) => {
      const problem = webUrlProblem(value, protocols);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    })
    // An https-only field says so to the OpenAPI file (and to tools that generate inputs).
    .meta({ format: "uri", ...(protocols.length === 1 && protocols[0] === "https:" ? { pattern: "^https://" } : {}) });
}

/**
 * An https URL: Intercom requires avatar image URLs to be https.
 *
 * @example
 * HttpsUrlField.parse("https://example.com/ada.png");
 */
export const HttpsUrlField = webUrlField(["https:"]);

/**
 * A webhook callback URL (where a subscription's events are POSTed): http or https, the rules of
 * {@link webUrlProblem}. Where it may point is the service's callback policy, checked after.
 *
 * @example
 * CallbackUrlField.parse("https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s");
 */
export const CallbackUrlField = webUrlField(["http:", "https:"]);

/**
 * The alphabet and length of every Intercom id that goes into a request path: contacts and
 * companies are 24 hex digits, admins, tags, notes, conversations and tickets decimal strings
 * (Intercom's OpenAPI 2.14 and the official SDK's examples). Letters, digits, `_` and `-` take all
 * of them with room to spare, and nothing that can change a path: no `.`, `/`, `%`, `?`, `#`,
 * space or control character.
 *
 * @example
 * INTERCOM_ID_PATTERN.test("6762f0a51bb69f9f2193bb5c"); // true
 * INTERCOM_ID_PATTERN.test(".."); // false
 */
export const INTERCOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * An Intercom object id that goes into a request path (`contact_id`, `user_id`): the one field
 * every operation's path ids use, checked against {@link INTERCOM_ID_PATTERN} before anything is
 * sent or spent.
 *
 * @example
 * IdField.parse("6762f0a51bb69f9f2193bb5c");
 */
export const IdField = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty", abort: true })
  .max(128, { error: "must be at most 128 characters", abort: true })
  .regex(INTERCOM_ID_PATTERN, { error: "must be an Intercom id: letters, digits, _ or - only" });

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

/** The most custom attributes one write carries: more than any workspace defines for a model in practice. */
export const MAX_CUSTOM_ATTRIBUTES = 100;

/**
 * `custom_attributes` of a contact or company write: values by data attribute name, each a
 * string (at most 255 characters), a finite number, a boolean, or `null` to clear it. The JSON
 * types are checked here, before anything is spent; whether each name is a custom data attribute
 * of the workspace and its value of that attribute's type is checked against the workspace's
 * data attributes before anything is written (`invalid_custom_attribute`).
 *
 * @example
 * CustomAttributesField.parse({ plan: "pro", seats: 12, vip: true, churned_at: null });
 */
export const CustomAttributesField = z
  .record(z.string(), z.unknown(), { error: "must be an object of values by attribute name" })
  .superRefine((values, ctx) => {
    const entries = Object.entries(values);
    if (entries.length > MAX_CUSTOM_ATTRIBUTES) ctx.addIssue({ code: "custom", message: `must have at most ${MAX_CUSTOM_ATTRIBUTES} attributes` });
    for (const [name, value] of entries) {
      if (name.trim() === "" || name.length > MAX_TEXT) {
        ctx.addIssue({ code: "custom", path: [name], message: `must be named by 1 to ${MAX_TEXT} characters` });
      } else if (typeof value === "string") {
        if (value.length > MAX_TEXT) ctx.addIssue({ code: "custom", path: [name], message: `must be at most ${MAX_TEXT} characters` });
      } else if (typeof value === "number") {
        if (!Number.isFinite(value)) ctx.addIssue({ code: "custom", path: [name], message: "must be a finite number" });
      } else if (value !== null && typeof value !== "boolean") {
        ctx.addIssue({ code: "custom", path: [name], message: "must be a string, a number, true or false, or null" });
      }
    }
  });
/** Custom attribute values by name. */
export type CustomAttributes = z.output<typeof CustomAttributesField>;

/**
 * The schema key that names whose data attributes type a `custom_attributes` input: the Swagger
 * file turns it into Power Automate's `x-ms-dynamic-schema`, so the designer shows each custom
 * attribute as a field of its type.
 */
export const CUSTOM_ATTRIBUTES_OF = "x-custom-attributes-of";

/**
 * The `custom_attributes` input of a contact or company write ({@link CustomAttributesField}),
 * marked with the model whose data attributes type it.
 *
 * @example
 * const input = z.strictObject({ custom_attributes: customAttributesOf("contact").optional() });
 */
export function customAttributesOf(model: "contact" | "company"): typeof CustomAttributesField {
  return CustomAttributesField.meta({
    title: "Custom Attributes",
    description: `The ${model}'s custom attributes by name (ListDataAttributes lists them), each a value of its type: text, a number, true or false, a date as Unix seconds, or null to clear it.`,
    [CUSTOM_ATTRIBUTES_OF]: model,
  });
}
