// The pieces the connector's URLs are made of. Paths are written the Swagger way (`{param}`);
// fastify's form (`:param`) is derived, never written by hand.

/**
 * Where actions live.
 *
 * @example
 * `${ACTIONS_PATH}/GetLead`; // "/v1/actions/GetLead"
 */
export const ACTIONS_PATH = "/v1/actions";
/**
 * Where triggers live.
 *
 * @example
 * `${TRIGGERS_PATH}/TrigNewLead/poll`; // "/v1/triggers/TrigNewLead/poll"
 */
export const TRIGGERS_PATH = "/v1/triggers";
/**
 * Where webhook subscriptions live (each one's URL is the `Location` of its creation).
 *
 * @example
 * `${SUBSCRIPTIONS_PATH}/{${SUBSCRIPTION_ID_PARAMETER}}`; // "/v1/subscriptions/{subscriptionId}"
 */
export const SUBSCRIPTIONS_PATH = "/v1/subscriptions";

/**
 * Where the pickers' candidates are served, one path per picker.
 *
 * @example
 * `${PICKERS_PATH}/tags`; // "/v1/pickers/tags"
 */
export const PICKERS_PATH = "/v1/pickers";

/**
 * Where the custom attributes' schemas are served, one path per model.
 *
 * @example
 * `${CUSTOM_ATTRIBUTES_PATH}/contact/schema`; // "/v1/custom-attributes/contact/schema"
 */
export const CUSTOM_ATTRIBUTES_PATH = "/v1/custom-attributes";

/**
 * The query parameter of a paged action that names the page (the `nextLink` carries it).
 *
 * @example
 * new URL(nextLink).searchParams.get(CURSOR_PARAMETER); // "leads.eyJhZnRlciI6…"
 */
export const CURSOR_PARAMETER = "cursor";
/**
 * The query parameter of a polling trigger that carries its state (the `Location` carries it).
 *
 * @example
 * new URL(location).searchParams.get(STATE_PARAMETER); // the subscription id
 */
export const STATE_PARAMETER = "state";
/**
 * The path parameter naming a webhook subscription.
 *
 * @example
 * fillPath("/v1/subscriptions/{subscriptionId}", { [SUBSCRIPTION_ID_PARAMETER]: "0b6c…" });
 */
export const SUBSCRIPTION_ID_PARAMETER = "subscriptionId";
/**
 * The path parameter naming a dead-lettered event (its `webhook-id`).
 *
 * @example
 * fillPath(route.path, { subscriptionId, [EVENT_ID_PARAMETER]: "1042" });
 */
export const EVENT_ID_PARAMETER = "eventId";
/**
 * The query parameter of the dead-letter listing: list the events after this event id.
 *
 * @example
 * new URL(nextLink).searchParams.get(AFTER_PARAMETER); // "1042"
 */
export const AFTER_PARAMETER = "after";
/**
 * The query parameter of the dead-letter listing: how many per page.
 *
 * @example
 * `${path}?${LIMIT_PARAMETER}=10`;
 */
export const LIMIT_PARAMETER = "limit";

/**
 * A Swagger path in fastify's form: `{name}` becomes `:name`.
 *
 * @example
 * fastifyPath("/v1/subscriptions/{subscriptionId}/dead-letters"); // "/v1/subscriptions/:subscriptionId/dead-letters"
 */
export function fastifyPath(swaggerPath: string): string {
  return swaggerPath.replace(/\{(\w+)\}/g, ":$1");
}

/**
 * A Swagger path with its `{name}` parameters filled in (URL-encoded). A parameter left without a
 * value throws: a path with `{…}` in it would reach some other route.
 *
 * @example
 * fillPath("/v1/subscriptions/{subscriptionId}", { subscriptionId: "0b6c…" }); // "/v1/subscriptions/0b6c…"
 */
export function fillPath(swaggerPath: string, values: Readonly<Record<string, string>>): string {
  return swaggerPath.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`${swaggerPath}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}
