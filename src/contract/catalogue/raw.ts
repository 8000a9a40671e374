import { z } from "zod";
import { defineOperation } from "../define-operation.js";

// SendRequest: one raw call to any path of Intercom's API, for what the catalogue does not cover.
// Its path is checked here, before anything is spent or sent, so that it can only name a path of
// the API under the connection's base URL.

/** The longest path taken (as the contract's URLs). */
const MAX_PATH = 2048;

/** Characters a path may hold as written: RFC 3986's pchar and `/`, nothing else (no `\`, `?`, `#`, space, control). */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/**
 * Why `path` is not a path of Intercom's API the connector may call, or null: it must start with
 * one `/` (no absolute URL, no scheme-relative `//host`), hold only path characters, carry no
 * `.` or `..` segment (encoded or not), no percent-encoded dot, slash, backslash or control
 * character, and not name the emulator's control API (`/_emulator`).
 *
 * @example
 * rawPathProblem("/contacts/1/../../admin"); // "must not have . or .. segments"
 * rawPathProblem("/tags"); // null
 */
export function rawPathProblem(path: string): string | null {
  if (path.length > MAX_PATH) return `must be at most ${MAX_PATH} characters`;
  if (!path.startsWith("/")) return "must start with / (a path of Intercom's API, not a URL)";
  if (path.startsWith("//")) return "must not start with // (a host)";
  if (!PATH_CHARACTERS.test(path)) return "must hold only path characters: no spaces, control characters, backslashes, ? or # (use query)";
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return "has a % that is not a percent-encoded byte";
  if (/%(2e|2f|5c|[01][0-9a-f]|7f)/i.test(path)) return "must not percent-encode a dot, slash, backslash or control character";
  if (path.split("/").some((segment) => segment === "." || segment === "..")) return "must not have . or .. segments";
  if (/^\/_emulator(\/|$)/i.test(path)) return "must not name the emulator's control API";
  return null;
}

const QueryValue = z.union([z.string().max(MAX_PATH), z.number().finite(), z.boolean()]);
const QueryParameter = z.union([QueryValue, z.array(QueryValue).max(100)]);

/**
 * SendRequest's input: the method, the path under the API, query parameters and a JSON body.
 *
 * @example
 * SendRequestInput.parse({ method: "GET", path: "/segments", query: { include_count: true } });
 */
export const SendRequestInput = z
  .strictObject({
    method: z.enum(["GET", "POST", "PUT", "DELETE"], { error: "must be GET, POST, PUT or DELETE" }).meta({ title: "Method", description: "The HTTP method." }),
    path: z
      .string({ error: "must be a string" })
      .superRefine((path, ctx) => {
        const problem = rawPathProblem(path);
        if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
      })
      .meta({ title: "Path", description: "The path of Intercom's API, such as /segments or /contacts/{id}/subscriptions (no host, no query)." }),
    query: z
      // Keys and values are checked in a refinement: Swagger 2.0 (the Power Platform file) can
      // describe neither constrained property names nor unions.
      .record(z.string(), z.unknown(), { error: "must be an object of query parameters" })
      .superRefine((query, ctx) => {
        for (const [key, item] of Object.entries(query)) {
          if (key.length === 0 || key.length > 255) ctx.addIssue({ code: "custom", path: [key], message: "must be a name of 1 to 255 characters" });
          else if (!QueryParameter.safeParse(item).success) ctx.addIssue({ code: "custom", path: [key], message: "must be a string, a number, a boolean or a list of them" });
        }
      })
      .optional()
      .meta({ title: "Query", description: "Query parameters: strings, numbers, booleans or lists of them." }),
    body: z.unknown().optional().meta({ title: "Body", description: "The JSON body of a POST, PUT or DELETE." }),
  })
  .superRefine((input, ctx) => {
    if (input.method === "GET" && input.body !== undefined) ctx.addIssue({ code: "custom", path: ["body"], message: "must be left out for GET" });
  })
  // A valid input, for tools that start from one (the reliability suite breaks it one field at a time).
  .meta({ examples: [{ method: "GET", path: "/me" }] });

/**
 * SendRequest's answer: Intercom's status and body, 4xx included (see docs/operations.md).
 *
 * @example
 * RawResponse.parse({ status: 200, body: { type: "segment.list", segments: [] } });
 */
export const RawResponse = z.object({
  status: z.number().int().meta({ title: "Status", description: "Intercom's HTTP status: 2xx, or a 4xx other than 401 and 429 (those, and 5xx, are errors)." }),
  body: z.unknown().meta({ title: "Body", description: "Intercom's answer: its JSON, its text when not JSON, null when empty." }),
});
/** SendRequest's answer. */
export type RawResponse = z.output<typeof RawResponse>;

/**
 * The raw area.
 *
 * @example
 * RAW_OPERATIONS.SendRequest.input.safeParse({ method: "GET", path: "https://evil.invalid/" }).success; // false
 */
export const RAW_OPERATIONS = {
  SendRequest: defineOperation({
    id: "SendRequest",
    kind: "action",
    summary: "Send a request to Intercom's API",
    seedName: "",
    description: "Sends one request to any path of Intercom's API with the connection's token and version, and returns Intercom's status and body.",
    input: SendRequestInput,
    output: RawResponse,
    outputName: "RawResponse",
  }),
} as const;
