import { z } from "zod";
import { TextField, webUrlField, webUrlProblem } from "./fields.js";

/**
 * The regions an Intercom workspace can live in (its API host: US, EU or Australia).
 *
 * @example
 * CONNECTION_REGIONS.includes("eu"); // true
 */
export const CONNECTION_REGIONS = ["us", "eu", "au"] as const;

/**
 * A base URL that overrides the region's host (the emulator, a proxy): http or https, at most
 * 2,048 characters, no spaces or control characters, no credentials (they would be stored and
 * shown in clear), no query or fragment; a trailing slash is dropped so paths join cleanly.
 *
 * @example
 * BaseUrlField.parse("http://127.0.0.1:4010/"); // "http://127.0.0.1:4010"
 */
export const BaseUrlField = webUrlField(["http:", "https:"])
  .superRefine((value, ctx) => {
    // Only once the URL is known to parse: webUrlField has reported anything else.
    if (webUrlProblem(value, ["http:", "https:"]) !== null) return;
    const url = new URL(value);
    if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) ctx.addIssue({ code: "custom", message: "must not have a query or fragment" });
  })
  .transform((value) => value.replace(/\/+$/, ""));

/**
 * What adding a connection takes, the same in every face (library `addConnection`, `POST
 * /v1/connections`, the CLI's environment): the workspace's access token, its region (default
 * `us`) or a base URL that overrides it, a name (default the API host), and optionally the
 * Intercom app's client secret (to verify Intercom's pushes).
 *
 * @example
 * AddConnectionInput.parse({ access_token: "dG9rOmFiYw==", region: "eu" });
 */
export const AddConnectionInput = z.strictObject({
  name: TextField.trim().min(1, { error: "must not be empty" }).optional(),
  access_token: z
    .string({ error: "must be a string" })
    .regex(/^[\x21-\x7e]{1,1024}$/, { error: "must be 1 to 1024 printable ASCII characters without spaces" }),
  region: z.enum(CONNECTION_REGIONS, { error: `must be one of ${CONNECTION_REGIONS.join(", ")}` }).optional(),
  base_url: BaseUrlField.optional(),
  intercom_client_secret: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(1024, { error: "must be at most 1024 characters" }).optional(),
});

/**
 * `AddConnectionInput` as a caller writes it.
 *
 * @example
 * const input: AddConnection = { access_token: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu" };
 */
export type AddConnection = z.input<typeof AddConnectionInput>;
