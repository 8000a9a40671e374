import { z } from "zod";
import { IdField, pickedFrom, type TriggerId } from "../../contract/index.js";
import { TRIGGERS } from "../../triggers/index.js";
import type { RouteParameter } from "./route-types.js";
import { WebhookSubscriptionRequest } from "./shapes.js";

// The options a flow sets on its trigger subscription (its trigger's filters), as the two HTTP
// faces take them: in the webhook subscription's body (`filters`), and as query parameters of the
// Power Automate polling route. The trigger checks them either way (`parseFilters`).

/** The property of the webhook subscription body that holds the filters. */
export const FILTERS_PROPERTY = "filters";

/** What a webhook subscription request carries, with the trigger's filters when it takes any. */
export type WebhookSubscriptionInput = WebhookSubscriptionRequest & { filters?: Record<string, string | undefined> };

const bodies = new Map<TriggerId, z.ZodType<WebhookSubscriptionInput>>();

/**
 * The body of `POST /v1/triggers/{id}/subscriptions`: `callback_url`, and `filters` (one optional
 * id per filter of the trigger, with its picker) when the trigger takes any.
 *
 * @example
 * webhookSubscriptionRequestFor("TrigNewTicket").parse({ callback_url: "https://example.com/in", filters: { ticket_type_id: "7" } });
 */
export function webhookSubscriptionRequestFor(id: TriggerId): z.ZodType<WebhookSubscriptionInput> {
  let body = bodies.get(id);
  if (body === undefined) {
    const filters = TRIGGERS[id].filters;
    body =
      filters.length === 0
        ? WebhookSubscriptionRequest
        : WebhookSubscriptionRequest.extend({
            [FILTERS_PROPERTY]: z
              .strictObject(Object.fromEntries(filters.map((f) => [f.name, IdField.optional().meta({ title: f.title, description: f.description, ...(f.picker === undefined ? {} : pickedFrom(f.picker)) })])))
              .optional()
              .meta({ title: "Filters", description: "Only the events these options pass; an option left out lets every value through." }),
          });
    bodies.set(id, body);
  }
  return body;
}

/**
 * The trigger's filters as optional query parameters of its polling route (a picker where the
 * filter has one).
 *
 * @example
 * filterParameters("TrigNewTicket").map((p) => p.name); // ["ticket_type_id"]
 */
export function filterParameters(id: TriggerId): RouteParameter[] {
  return TRIGGERS[id].filters.map((f) => ({
    name: f.name,
    in: "query",
    required: false,
    summary: f.title,
    description: `${f.description} Read on the first poll, which makes the subscription; later polls keep it.`,
    ...(f.picker === undefined ? {} : { picker: f.picker }),
  }));
}
