import { z } from "zod";
import { ArchivedContact, Contact, DeletedContact } from "../../contract/catalogue/contacts.js";
import { connectorError, err, type ConnectorError, type Result } from "../../contract/index.js";

// Intercom's answers for the contacts operations, checked against the contract's own shapes.
// Intercom leaves out some fields the description lists (and older workspaces lack the device
// ones); an absent one is null in the output, so every output has every path.

function withNulls(keys: readonly string[]): (body: unknown) => unknown {
  return (body) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
    const filled: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const key of keys) filled[key] ??= null;
    return filled;
  };
}

const nullableKeys = (shape: z.ZodRawShape): string[] =>
  Object.entries(shape).flatMap(([key, schema]) => ((schema as z.ZodType).safeParse(null).success ? [key] : []));

/**
 * A contact as Intercom answers it, parsed into the contract's {@link Contact} (unknown fields
 * dropped, absent nullable ones null).
 *
 * @example
 * await intercom.request({ what: "GET /contacts/{id}", answer: ContactAnswer, pathIds: [id], send: (sdk, o) => sdk.contacts.find({ contact_id: id }, o) });
 */
export const ContactAnswer = z.preprocess(withNulls(nullableKeys(Contact.shape)), Contact);

/**
 * Intercom's `contact_deleted` answer.
 *
 * @example
 * DeletedContactAnswer.parse({ type: "contact", id: "1", deleted: true }).external_id; // null
 */
export const DeletedContactAnswer = z.preprocess(withNulls(["external_id"]), DeletedContact);

/**
 * Intercom's `contact_archived` / `contact_unarchived` answer.
 *
 * @example
 * ArchivedContactAnswer.parse({ type: "contact", id: "1", archived: true }).external_id; // null
 */
export const ArchivedContactAnswer = z.preprocess(withNulls(["external_id"]), ArchivedContact);

/**
 * A failed result whose `not_found` now names the input field at fault (`No contact with id X`,
 * `field: "contact_id"`); any other result as is.
 *
 * @example
 * return notFoundOn(await intercom.request({ … }), { resource: "contact", id }, "contact_id");
 */
export function notFoundOn<T>(result: Result<T, ConnectorError>, what: { resource: string; id: string }, field: string): Result<T, ConnectorError> {
  if (result.ok || result.error.code !== "not_found") return result;
  const requestId = result.error.intercomRequestId;
  return err(connectorError("not_found", what, requestId === undefined ? { field } : { field, intercomRequestId: requestId }));
}
