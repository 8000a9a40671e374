import { z } from "zod";
import { ERROR_CODES, ListLeads_Response, type ErrorCode } from "../../contract/index.js";

// The HTTP face's own shapes: what the service adds around the contract's (a page of a listing,
// a webhook subscription request, the error envelope). Titles and descriptions given with
// `.meta()` become the OpenAPI file's `x-ms-summary` and `description`.

/** The property of a page that links to the next page (`x-ms-pageable`'s `nextLinkName`). */
export const NEXT_LINK_PROPERTY = "nextLink";
/** The property of a page that holds its items. */
export const PAGE_ITEMS_PROPERTY = "value";
/** The property of a webhook subscription request that holds the callback URL. */
export const CALLBACK_URL_PROPERTY = "callback_url";

const pages = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The HTTP page of a list: `value` holds the items, `nextLink` (absent on the last page) is the
 * absolute URL of the next page. One schema per list (the same instance on every call), so the
 * OpenAPI file can name it.
 *
 * @example
 * pageOf(ListLeads_Response) === ListLeadsPage; // true
 */
export function pageOf<Item extends z.ZodType>(items: z.ZodArray<Item>): z.ZodObject<{ value: z.ZodArray<Item>; nextLink: z.ZodOptional<z.ZodURL> }, z.core.$strict> {
  const known = pages.get(items);
  if (known !== undefined) return known as ReturnType<typeof pageOf<Item>>;
  const page = z.strictObject({
    // A new array of the same items: `.meta()` on the list itself would make a clone of a named schema.
    [PAGE_ITEMS_PROPERTY]: z.array(items.element).meta({ title: "Items", description: "The items of this page." }),
    [NEXT_LINK_PROPERTY]: z
      .url()
      .optional()
      .meta({ title: "Next Page Link", description: "URL of the next page; absent on the last page.", "x-ms-visibility": "internal" }),
  });
  pages.set(items, page);
  return page;
}

/**
 * One page of `ListLeads` over HTTP (`GET /v1/actions/ListLeads?cursor=…`).
 *
 * @example
 * ListLeadsPage.parse({ value: [], nextLink: "https://connector.example.com/v1/actions/ListLeads?cursor=leads.abc" });
 */
export const ListLeadsPage = pageOf(ListLeads_Response);
/** One page of `ListLeads` over HTTP. */
export type ListLeadsPage = z.output<typeof ListLeadsPage>;

/**
 * The body of `POST /v1/triggers/{TriggerId}/subscriptions`: where to deliver the trigger's
 * events. Power Automate fills `callback_url` itself (`x-ms-notification-url`).
 *
 * @example
 * WebhookSubscriptionRequest.parse({ callback_url: "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke" });
 */
export const WebhookSubscriptionRequest = z.strictObject({
  [CALLBACK_URL_PROPERTY]: z
    .url({ protocol: /^https?$/, error: "must be an http or https URL" })
    .meta({
      title: "Callback URL",
      description: "Where each event is POSTed, signed the Standard Webhooks way.",
      "x-ms-notification-url": true,
      "x-ms-visibility": "internal",
    }),
});
/** What a webhook subscription request carries. */
export type WebhookSubscriptionRequest = z.output<typeof WebhookSubscriptionRequest>;

/** `code (status)` for every registered error code, for the error shape's description. */
function describeErrorCodes(): string {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => `${code} (${ERROR_CODES[code].status})`).join(", ");
}

/**
 * The service's one error shape, `{"error": {"code", "message", "field"?, "issues"?, "retry_after"?}}`;
 * the codes are those of the contract's error registry (docs/errors.md).
 *
 * @example
 * ErrorResponse.parse({ error: { code: "invalid_input", message: "Invalid input: email is required", field: "email" } });
 */
export const ErrorResponse = z.strictObject({
  error: z
    .strictObject({
      code: z.string().meta({ title: "Error Code", description: `The error's stable code: ${describeErrorCodes()}.` }),
      message: z.string().meta({ title: "Message", description: "What went wrong, in English." }),
      field: z.string().optional().meta({ title: "Field", description: "The input field at fault (a dotted path), when there is one." }),
      issues: z
        .array(
          z.strictObject({
            field: z.string().meta({ title: "Field", description: "The input field at fault (a dotted path)." }),
            reason: z.string().meta({ title: "Reason", description: "What is wrong with it." }),
          }),
        )
        .optional()
        .meta({ title: "Issues", description: "Every problem found in an invalid input." }),
      retry_after: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ title: "Retry After", description: "Seconds to wait before retrying (also sent as the Retry-After header)." }),
    })
    .meta({ title: "Error", description: "What went wrong." }),
});
/** The service's error body. */
export type ErrorResponse = z.output<typeof ErrorResponse>;
