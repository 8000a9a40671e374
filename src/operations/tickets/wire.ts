import { IntercomError, type IntercomClient } from "intercom-client";
import { z } from "zod";
import { Ticket, TicketReply, TicketType } from "../../contract/catalogue/tickets.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { IntercomTransport, SdkRequestOptions } from "../../intercom/index.js";

// Intercom's ticket answers as the tickets area reads them, and how its 404s name what is
// missing: one call may refer to a ticket, an admin, a team and a contact, told apart by the
// error's code, or by the field the error names.

/**
 * A ticket type's attributes are `{type: "list", data}` in every answer the 2.14 description
 * shows, while its schema names an array `ticket_type_attributes`; both are read as `data`.
 */
function normalizeType(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const type = value as Record<string, unknown>;
  const attributes = type.ticket_type_attributes as { data?: unknown; ticket_type_attributes?: unknown } | null | undefined;
  if (attributes !== null && attributes !== undefined && attributes.data === undefined && Array.isArray(attributes.ticket_type_attributes)) {
    return { ...type, ticket_type_attributes: { data: attributes.ticket_type_attributes } };
  }
  return value;
}

/**
 * A ticket type as Intercom answers it, read as the contract's {@link TicketType}.
 *
 * @example
 * WireTicketType.parse({ type: "ticket_type", id: "1", name: "Bug", ticket_type_attributes: { type: "ticket_type_attributes.list", ticket_type_attributes: [] } });
 */
export const WireTicketType = z.preprocess(normalizeType, TicketType);

/**
 * A ticket as Intercom answers it, its type read by {@link WireTicketType}.
 *
 * @example
 * WireTicket.parse({ type: "ticket", id: "601", created_at: 1795523438 });
 */
export const WireTicket = Ticket.extend({ ticket_type: WireTicketType.nullable().optional() });

/** `GET /ticket_types`' answer (`ticket_type_list`). */
export const WireTicketTypeList = z.looseObject({ data: z.array(WireTicketType) });

/** `POST /tickets/search`'s answer (`ticket_list`). */
export const WireTicketSearch = z.looseObject({
  tickets: z.array(WireTicket),
  pages: z.looseObject({ next: z.looseObject({ starting_after: z.string().nullish() }).nullish() }).nullish(),
});

/** What a 404 was about: the resource, its id, and the input field that named it. */
export interface MissingThing {
  resource: string;
  id: string;
  field?: string;
}

const MISSING = Symbol("missing");
type MissingMarker = { readonly [MISSING]: MissingThing };
const isMarker = (value: unknown): value is MissingMarker => typeof value === "object" && value !== null && MISSING in value;

/** The first error item of an Intercom error body: its code and the field it names, if any. */
function firstError(body: unknown): { code: string; field: string | undefined } {
  const items = (body as { errors?: unknown } | null)?.errors;
  const item = Array.isArray(items) ? (items[0] as { code?: unknown; field?: unknown } | undefined) : undefined;
  return { code: typeof item?.code === "string" ? item.code : "", field: typeof item?.field === "string" ? item.field : undefined };
}

/**
 * Runs one ticket call through the transport. An Intercom 404 is read by `classify` (from its
 * error code and field) into the `not_found` that names the right resource and input field; one
 * it does not recognise is the ticket's (`ticketId`), or Intercom's own error when there is none.
 *
 * @example
 * const ticket = await requestTicketCall(intercom, { what: "GET /tickets/{id}", answer: WireTicket, ticketId: "601", send: (sdk, o) => sdk.tickets.get({ ticket_id: "601" }, o) });
 */
export async function requestTicketCall<S extends z.ZodType>(
  intercom: IntercomTransport,
  call: {
    what: string;
    answer: S;
    ticketId?: string;
    pathIds?: readonly string[];
    classify?: (error: { code: string; field: string | undefined }) => MissingThing | undefined;
    send: (sdk: IntercomClient, options: SdkRequestOptions) => Promise<unknown>;
  },
): Promise<Result<z.output<S>, ConnectorError>> {
  const answer = await intercom.request({
    what: call.what,
    answer: z.union([call.answer, z.custom<MissingMarker>(isMarker)]),
    pathIds: call.pathIds ?? (call.ticketId === undefined ? [] : [call.ticketId]),
    ...(call.ticketId === undefined ? {} : { notFound: { resource: "ticket", id: call.ticketId } }),
    async send(sdk, options) {
      try {
        return await call.send(sdk, options);
      } catch (error) {
        if (!(error instanceof IntercomError) || error.statusCode !== 404 || call.classify === undefined) throw error;
        const missing = call.classify(firstError(error.body));
        if (missing === undefined) throw error;
        const marker: MissingMarker = { [MISSING]: missing };
        return marker;
      }
    },
  });
  if (!answer.ok) return answer;
  if (isMarker(answer.value)) {
    const missing = answer.value[MISSING];
    return err(connectorError("not_found", { resource: missing.resource, id: missing.id }, missing.field === undefined ? {} : { field: missing.field }));
  }
  return ok(answer.value as z.output<S>);
}

/**
 * A reply as Intercom answers it (`ticket_reply`).
 *
 * @example
 * WireTicketReply.parse({ type: "ticket_part", id: "105", part_type: "note", created_at: 1795523438, author: { type: "admin", id: "991200" } });
 */
export const WireTicketReply = TicketReply;

/**
 * An admin id as Intercom's `admin_id` of a ticket update takes it: a number (its schema's type)
 * when it is one.
 *
 * @example
 * adminIdValue("991200"); // 991200
 */
export function adminIdValue(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}
