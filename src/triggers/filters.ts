import { connectorError, err, IdField, ok, type ConnectorError, type PickerId, type Result } from "../contract/index.js";
import type { SearchQuery } from "../intercom/index.js";

// Options a flow sets on its subscription (a ticket type, an admin or team, a tag): each trigger
// declares the filters it takes, each matching one field of its events. Subscriptions with the
// same filters share a scan; a scan or a push hands a subscription only the events its filters
// pass. Nothing here knows a trigger: a trigger file declares its filters, this checks and
// applies them.

/**
 * A subscription's filters: the value of each filter it sets, by the filter's name. An event
 * passes when, for every filter set, the filter's value is one of the event's values.
 *
 * @example
 * const filters: SubscriptionFilters = { ticket_type_id: "7" };
 */
export type SubscriptionFilters = Readonly<Record<string, string>>;

/**
 * One filter a trigger takes.
 *
 * @example
 * const byType: TriggerFilterSpec<Ticket> = { type: "id", title: "Ticket Type", description: "…", picker: "ticket_types", values: (t) => [t.ticket_type?.id ?? ""], searchField: "ticket_type_id" };
 */
export interface TriggerFilterSpec<Event> {
  /** What the value is: an Intercom id (tags, admins, teams and ticket types are). */
  type: "id";
  /** A form's label for it (Swagger's `x-ms-summary`). */
  title: string;
  description: string;
  /** Where a form offers its choices (a picker of `contract/pickers.ts`). */
  picker?: PickerId;
  /** The event's values this filter compares with (several for a list: an event's tags). */
  values(event: Event): readonly string[];
  /**
   * The field of Intercom's search that asks the same, when the trigger's search takes it: the
   * scan then reads fewer pages. The check on each event stays the guarantee.
   */
  searchField?: string;
}

/**
 * A trigger's filter as the faces describe it (name, type, label, picker).
 *
 * @example
 * TRIGGERS.TrigNewTicket.filters; // [{ name: "ticket_type_id", type: "id", title: "Ticket Type", … }]
 */
export interface TriggerFilter {
  readonly name: string;
  readonly type: "id";
  readonly title: string;
  readonly description: string;
  readonly picker?: PickerId;
}

/** The most filters one subscription sets (a trigger takes few; this bounds what is stored). */
const MAX_FILTERS = 10;

/**
 * Checks a subscription's filters against what its trigger takes: absent or null is none; each
 * name must be one of the trigger's, each value of its type. A refusal is `invalid_input` naming
 * the field (`field(name)`, `filters.<name>` by default), before anything is stored or spent.
 *
 * @example
 * parseSubscriptionFilters("TrigNewTicket", specs, { ticket_type_id: "7" }); // ok({ ticket_type_id: "7" })
 * parseSubscriptionFilters("TrigNewTicket", specs, { team_id: "1" }); // invalid_input on filters.team_id
 */
export function parseSubscriptionFilters(
  triggerId: string,
  specs: Readonly<Record<string, TriggerFilterSpec<never>>>,
  input: unknown,
  field: (name: string) => string = (name) => `filters.${name}`,
): Result<SubscriptionFilters, ConnectorError> {
  if (input === undefined || input === null) return ok({});
  const whole = field("").replace(/\.$/, "") || "filters";
  if (typeof input !== "object" || Array.isArray(input)) return err(invalid(whole, "must be an object of filter values by name"));
  const names = Object.keys(specs);
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_FILTERS) return err(invalid(whole, `must have at most ${MAX_FILTERS} filters`));
  const filters: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!Object.hasOwn(specs, name)) {
      const takes = names.length === 0 ? `${triggerId} takes no filters` : `${triggerId} takes ${names.join(", ")}`;
      return err(invalid(field(name), `is not a filter of ${triggerId}: ${takes}`));
    }
    if (value === undefined) continue;
    const parsed = IdField.safeParse(value);
    if (!parsed.success) return err(invalid(field(name), parsed.error.issues[0]?.message ?? "must be an Intercom id"));
    filters[name] = parsed.data;
  }
  return ok(filters);
}

/**
 * The filters as one canonical text (names sorted): what tells subscriptions that may share a
 * scan apart, and what the store keeps.
 *
 * @example
 * filtersKey({ b: "2", a: "1" }); // '{"a":"1","b":"2"}'
 */
export function filtersKey(filters: SubscriptionFilters): string {
  return JSON.stringify(Object.fromEntries(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * Whether an event passes a subscription's filters: every filter set names one of its values.
 *
 * @example
 * passesFilters(specs, ticket, { ticket_type_id: "7" }); // true for a ticket of type 7
 */
export function passesFilters<Event>(specs: Readonly<Record<string, TriggerFilterSpec<Event>>>, event: Event, filters: SubscriptionFilters): boolean {
  for (const [name, value] of Object.entries(filters)) {
    const spec = specs[name];
    // A filter the trigger no longer takes lets nothing through rather than everything.
    if (spec === undefined || !spec.values(event).includes(value)) return false;
  }
  return true;
}

/**
 * The search conditions of the filters set whose trigger search takes them (`field = value`).
 *
 * @example
 * searchConditions(specs, { ticket_type_id: "7" }); // [{ field: "ticket_type_id", operator: "=", value: "7" }]
 */
export function searchConditions(specs: Readonly<Record<string, TriggerFilterSpec<never>>>, filters: SubscriptionFilters): SearchQuery[] {
  return Object.entries(filters).flatMap(([name, value]) => {
    const searchField = specs[name]?.searchField;
    return searchField === undefined ? [] : [{ field: searchField, operator: "=", value }];
  });
}

/**
 * The filters a trigger takes, as the faces describe them.
 *
 * @example
 * describeFilters({ ticket_type_id: byType })[0]?.picker; // "ticket_types"
 */
export function describeFilters(specs: Readonly<Record<string, TriggerFilterSpec<never>>>): readonly TriggerFilter[] {
  return Object.freeze(
    Object.entries(specs).map(([name, spec]) => Object.freeze({ name, type: spec.type, title: spec.title, description: spec.description, ...(spec.picker === undefined ? {} : { picker: spec.picker }) })),
  );
}

function invalid(field: string, reason: string): ConnectorError {
  return connectorError("invalid_input", { field, reason }, { field });
}
