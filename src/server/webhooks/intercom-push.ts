import { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type Result, type TriggerId } from "../../contract/index.js";
import { IntercomContact, IntercomConversation, type IntercomTransport } from "../../intercom/index.js";
import { Lookups } from "../../operations/index.js";
import type { NewEvent } from "../../store/index.js";
import { TRIGGERS } from "../../triggers/index.js";

/**
 * The Intercom webhook topics the connector turns into trigger events, and their triggers. Other
 * topics (`ping`, `contact.lead.updated`, …) are acknowledged and ignored.
 *
 * @example
 * INTERCOM_TOPIC_TRIGGERS["contact.lead.created"]; // "TrigNewLead"
 */
export const INTERCOM_TOPIC_TRIGGERS: Readonly<Record<string, TriggerId>> = Object.freeze({
  "contact.lead.created": "TrigNewLead",
  "contact.user.created": "TrigNewUser",
  "contact.user.updated": "TrigUpdateUser",
  "conversation.user.created": "TrigNewConversation",
});

/** The parts of a `notification_event` the connector reads; the rest passes through unread. */
const NotificationEvent = z.looseObject({
  type: z.literal("notification_event"),
  topic: z.string(),
  data: z.looseObject({ item: z.unknown() }),
});

/**
 * A verified push, read: its topic, and the trigger it feeds (`null`: a topic the connector ignores).
 *
 * @example
 * const notification: IntercomNotification = { topic: "contact.lead.created", triggerId: "TrigNewLead", item: { type: "contact" } };
 */
export interface IntercomNotification {
  topic: string;
  triggerId: TriggerId | null;
  item: unknown;
}

/**
 * Reads a `notification_event` envelope from a push's raw body. A body that is not JSON, or not
 * such an envelope, is an `invalid_input` error.
 *
 * @example
 * const notification = parseNotification(request.body as Buffer);
 * if (notification.ok && notification.value.triggerId === null) return { ignored: true };
 */
export function parseNotification(rawBody: Buffer): Result<IntercomNotification, ConnectorError> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return err(connectorError("invalid_input", { field: "body", reason: "is not JSON" }, { field: "body" }));
  }
  const envelope = NotificationEvent.safeParse(json);
  if (!envelope.success) {
    return err(connectorError("invalid_input", { field: "body", reason: "is not an Intercom notification_event" }, { field: "body" }));
  }
  const { topic, data } = envelope.data;
  return ok({ topic, triggerId: INTERCOM_TOPIC_TRIGGERS[topic] ?? null, item: data.item });
}

/**
 * The outbox event a pushed item makes for `triggerId`, built by the trigger's own definition so
 * that it carries the same dedupe key as the poll that will see the item again (the contact or
 * conversation id; id and `updated_at` for `TrigUpdateUser`) and the same contract shape.
 * `null` when the trigger does not fire for the item (a teammate's conversation, a "user update"
 * that is the creation, a contact of the other role). Names of companies and tags, and the role of
 * a conversation's contact, are looked up through `intercom`.
 *
 * @example
 * const event = await eventFromPush("TrigNewLead", notification.item, await transportFor(connectionId));
 * if (event.ok && event.value !== null) await store.appendEvents(subscriptionId, [event.value]);
 */
export async function eventFromPush(triggerId: TriggerId, item: unknown, intercom: IntercomTransport): Promise<Result<NewEvent | null, ConnectorError>> {
  const schema = triggerId === "TrigNewConversation" ? IntercomConversation : IntercomContact;
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    const expected = triggerId === "TrigNewConversation" ? "a conversation" : "a contact";
    return err(connectorError("invalid_input", { field: "data.item", reason: `is not ${expected}` }, { field: "data.item" }));
  }
  const trigger = TRIGGERS[triggerId];
  const source = trigger.source(intercom);
  const value = parsed.data as never;
  if (!source.accepts(value)) return ok(null);
  const payload = await trigger.toEvent(value, new Lookups(intercom));
  if (!payload.ok) return payload;
  return ok({ dedupeKey: source.key(value), payload: payload.value });
}
