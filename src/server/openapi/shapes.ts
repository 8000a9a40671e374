import { z } from "zod";
import { CallbackUrlField, ERROR_CODES, IsoTimestamp, ListLeads_Response, operationIds, type ErrorCode, type TriggerId } from "../../contract/index.js";

// The HTTP face's own shapes: what the service adds around the contract's (a page of a listing,
// webhook subscriptions and their dead letters, the error envelope). Titles and descriptions
// given with `.meta()` become the OpenAPI file's `x-ms-summary` and `description`.

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
  [CALLBACK_URL_PROPERTY]: CallbackUrlField.meta({
    title: "Callback URL",
    description: "Where each event is POSTed, signed the Standard Webhooks way: http or https, on a public address unless the operator allows private ones.",
    "x-ms-notification-url": true,
    "x-ms-visibility": "internal",
  }),
});
/** What a webhook subscription request carries. */
export type WebhookSubscriptionRequest = z.output<typeof WebhookSubscriptionRequest>;

const seconds = (title: string, description: string): z.ZodNumber => z.number().min(0).meta({ title, description });
const count = (title: string, description: string): z.ZodNumber => z.number().int().min(0).meta({ title, description });

/**
 * A webhook subscription as the API shows it (never its secret, shown once on creation): what
 * `webhookJson` answers.
 *
 * @example
 * WebhookSubscription.parse(webhookJson(webhook, DEFAULT_DELIVERY_RETRY_POLICY));
 */
export const WebhookSubscription = z.strictObject({
  id: z.string().meta({ title: "Subscription ID", description: "The subscription's id: the last segment of its URL." }),
  trigger_id: z
    .enum(operationIds("trigger") as [TriggerId, ...TriggerId[]])
    .meta({ title: "Trigger", description: "The trigger whose events the subscription delivers." }),
  callback_url: z.url().meta({
    title: "Callback URL",
    description: "Where each event is POSTed, each query value shown as 'redacted': a Power Automate callback URL's query authorises triggering the flow.",
  }),
  created_at: IsoTimestamp.meta({ title: "Created At", description: "When the subscription was made, ISO 8601 UTC with milliseconds." }),
  retry: z
    .strictObject({
      first_delay_seconds: seconds("First Delay", "Seconds before the first retry of a failed delivery."),
      max_delay_seconds: seconds("Max Delay", "The longest wait between two retries, in seconds."),
      give_up_after_seconds: seconds("Give Up After", "Seconds after which an event still undelivered is dead-lettered."),
    })
    .meta({ title: "Retry Policy", description: "How failed deliveries are retried." }),
});
/** A webhook subscription as the API shows it. */
export type WebhookSubscription = z.output<typeof WebhookSubscription>;

/**
 * The answer of `GET /v1/subscriptions/{subscriptionId}`: the subscription and how many of its
 * events wait, were delivered, or were given up on.
 *
 * @example
 * WebhookSubscriptionStatus.parse({ ...webhookJson(webhook, policy), events: await store.outboxStats(id) });
 */
export const WebhookSubscriptionStatus = WebhookSubscription.extend({
  events: z
    .strictObject({
      pending: count("Pending", "Events waiting to be delivered."),
      delivered: count("Delivered", "Events delivered and still kept."),
      dead: count("Dead", "Events given up on (dead letters), until replayed or pruned."),
    })
    .meta({ title: "Events", description: "The subscription's outbox, counted by status." }),
});
/** The answer of `GET /v1/subscriptions/{subscriptionId}`. */
export type WebhookSubscriptionStatus = z.output<typeof WebhookSubscriptionStatus>;

/**
 * Dead letters per page when the caller names no `limit`.
 *
 * @example
 * const limit = query.limit ?? DEFAULT_DEAD_LETTER_PAGE_SIZE; // 50
 */
export const DEFAULT_DEAD_LETTER_PAGE_SIZE = 50;
/**
 * The most dead letters one page holds (`limit` above it is 400 `invalid_input`).
 *
 * @example
 * DeadLetterQuery.safeParse({ limit: String(MAX_DEAD_LETTER_PAGE_SIZE + 1) }).success; // false
 */
export const MAX_DEAD_LETTER_PAGE_SIZE = 100;

/** An outbox event id as the API writes it: digits (the store's ids are safe integers). */
const EVENT_ID = /^\d{1,15}$/;

/**
 * The query of `GET /v1/subscriptions/{subscriptionId}/dead-letters`: after which event id, and
 * how many (1 to {@link MAX_DEAD_LETTER_PAGE_SIZE}).
 *
 * @example
 * DeadLetterQuery.parse({ after: "1042", limit: "10" }); // { after: "1042", limit: 10 }
 */
export const DeadLetterQuery = z.strictObject({
  after: z.string().regex(EVENT_ID, { error: "must be an event id" }).optional(),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be an integer" })
    .min(1, { error: "must be at least 1" })
    .max(MAX_DEAD_LETTER_PAGE_SIZE, { error: `must be at most ${MAX_DEAD_LETTER_PAGE_SIZE}` })
    .optional(),
});

/**
 * An event given up on, as the API shows it: what `deadLetterJson` answers. `payload` is the
 * trigger's shape, as the deliveries carried it.
 *
 * @example
 * DeadLetter.parse({ id: "1042", attempts: 17, last_error: "HTTP 500", created_at: "2026-11-24T12:30:38.000Z", payload: { id: "6762…" } });
 */
export const DeadLetter = z.strictObject({
  id: z.string().regex(EVENT_ID).meta({ title: "Event ID", description: "The event's id: the webhook-id header its deliveries carried." }),
  attempts: count("Attempts", "Failed delivery attempts."),
  last_error: z.string().nullable().meta({ title: "Last Error", description: "Why the last attempt failed (HTTP 503, connection failed: …)." }),
  created_at: IsoTimestamp.meta({ title: "Created At", description: "When the event was emitted, ISO 8601 UTC with milliseconds." }),
  payload: z.record(z.string(), z.unknown()).meta({ title: "Payload", description: "The event: the trigger's output, as each delivery's body." }),
});
/** An event given up on. */
export type DeadLetter = z.output<typeof DeadLetter>;

/**
 * One page of a subscription's dead letters (`value`, `nextLink`), oldest first.
 *
 * @example
 * DeadLetterPage.parse({ value: [], nextLink: "https://connector.example.com/v1/subscriptions/0b6c…/dead-letters?after=1042&limit=50" });
 */
export const DeadLetterPage = pageOf(z.array(DeadLetter));
/** One page of dead letters. */
export type DeadLetterPage = z.output<typeof DeadLetterPage>;

/**
 * The answer of a replay: the event, queued again.
 *
 * @example
 * ReplayedDeadLetter.parse({ id: "1042", status: "pending" });
 */
export const ReplayedDeadLetter = z.strictObject({
  id: z.string().regex(EVENT_ID).meta({ title: "Event ID", description: "The replayed event's id (its webhook-id)." }),
  status: z.literal("pending").meta({ title: "Status", description: "pending: the event is delivered next, before the events still waiting." }),
});
/** The answer of a replay. */
export type ReplayedDeadLetter = z.output<typeof ReplayedDeadLetter>;

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
