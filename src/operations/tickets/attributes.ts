import type { TicketType, TicketTypeAttribute } from "../../contract/catalogue/tickets.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { requestTicketCall, WireTicketType } from "./wire.js";

// Ticket attributes are checked against the ticket's type before anything is written: Intercom's
// own refusal names no field, and a CreateTicket with a wrong value would otherwise cost the
// write's call for a 400 that says only "parameter_invalid".

/** How long a connection's ticket type is trusted without asking again. */
export const TICKET_TYPE_MAX_AGE_MS = 5 * 60_000;

/** Values by attribute name, as CreateTicket and UpdateTicket take them. */
export type TicketAttributeValues = Readonly<Record<string, string | number | boolean | null>>;

function problemWith(attribute: TicketTypeAttribute | undefined, value: string | number | boolean | null): string | null {
  if (attribute === undefined) return "is not an attribute of this ticket type: ListTicketTypes shows its attributes";
  if (attribute.archived === true) return "is archived in this ticket type: leave it out";
  if (value === null) return null;
  switch (attribute.data_type) {
    case "string":
      return typeof value === "string" ? null : "must be text";
    case "list": {
      const options = (attribute.input_options?.list_options ?? []).filter((o) => o.archived !== true);
      if (options.length === 0) return null; // Options this connector cannot see: Intercom decides.
      return typeof value === "string" && options.some((o) => o.id === value)
        ? null
        : `must be the id of one of its options: ${options.map((o) => `${o.id} (${o.label})`).join(", ")}`;
    }
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? null : "must be a whole number";
    case "decimal":
      return typeof value === "number" ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "datetime":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? null : "must be a date as whole Unix seconds";
    case "files":
      return "takes files, which the API cannot set";
    default:
      // A type this connector does not know: Intercom decides.
      return null;
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * The first problem of `values` against a ticket type, as the `invalid_ticket_attribute` error
 * naming `ticket_attributes.<name>`, or null. A new ticket (`creating`) must also have every
 * attribute the type requires of teammates (`required_to_create`), as the API creates as one.
 *
 * @example
 * ticketAttributeProblem(type, { Severity: "high" }, { creating: true })?.field; // "ticket_attributes.Severity"
 */
export function ticketAttributeProblem(type: TicketType, values: TicketAttributeValues, options: { creating: boolean }): ConnectorError | null {
  const attributes = type.ticket_type_attributes?.data ?? [];
  const byName = new Map(attributes.map((a) => [a.name, a]));
  const fail = (name: string, reason: string): ConnectorError =>
    connectorError("invalid_ticket_attribute", { name: JSON.stringify(name), reason }, { field: `ticket_attributes.${name}` });
  for (const [name, value] of Object.entries(values)) {
    const reason = problemWith(byName.get(name), value);
    if (reason !== null) return fail(name, reason);
  }
  if (options.creating) {
    const missing = attributes.find((a) => a.required_to_create === true && a.archived !== true && isEmpty(values[a.name]));
    if (missing !== undefined) return fail(missing.name, "is required by this ticket type");
  }
  return null;
}

/**
 * Reads a ticket type (`GET /ticket_types/{id}`, remembered per connection for 5 minutes); an
 * unknown one is `not_found` naming `ticket_type_id`.
 *
 * @example
 * const type = await loadTicketType(intercom, "1");
 */
export async function loadTicketType(intercom: IntercomTransport, id: string, options: { refresh?: boolean } = {}): Promise<Result<{ type: TicketType; fresh: boolean }, ConnectorError>> {
  const loaded = await intercom.remembered(`ticket-type:${id}`, { maxAgeMs: TICKET_TYPE_MAX_AGE_MS, ...(options.refresh === true ? { refresh: true } : {}) }, (bound) =>
    requestTicketCall(bound, {
      what: "GET /ticket_types/{id}",
      answer: WireTicketType,
      pathIds: [id],
      classify: () => ({ resource: "ticket type", id, field: "ticket_type_id" }),
      send: (sdk, o) => sdk.ticketTypes.get({ ticket_type_id: id }, o),
    }),
  );
  return loaded.ok ? ok({ type: loaded.value.value, fresh: loaded.value.fresh }) : loaded;
}

/**
 * Checks a new ticket's attributes against its type, asking Intercom for the type again before
 * refusing on a remembered one (an attribute added a moment ago is never refused).
 *
 * @example
 * const checked = await checkNewTicketAttributes(intercom, "1", { _default_title_: "Login fails" });
 * if (!checked.ok) return checked;
 */
export async function checkNewTicketAttributes(intercom: IntercomTransport, typeId: string, values: TicketAttributeValues): Promise<Result<TicketType, ConnectorError>> {
  let loaded = await loadTicketType(intercom, typeId);
  if (!loaded.ok) return loaded;
  let problem = ticketAttributeProblem(loaded.value.type, values, { creating: true });
  if (problem !== null && !loaded.value.fresh) {
    loaded = await loadTicketType(intercom, typeId, { refresh: true });
    if (!loaded.ok) return loaded;
    problem = ticketAttributeProblem(loaded.value.type, values, { creating: true });
  }
  return problem === null ? ok(loaded.value.type) : err(problem);
}
