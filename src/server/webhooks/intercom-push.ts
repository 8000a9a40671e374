import { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";

/** The parts of a `notification_event` the connector reads; the rest passes through unread. */
const NotificationEvent = z.looseObject({
  type: z.literal("notification_event"),
  topic: z.string(),
  data: z.looseObject({ item: z.unknown() }),
});

/**
 * A verified push, read: its topic and its `data.item`. Which triggers the topic feeds is the
 * trigger definitions' to say (`triggersForTopic`).
 *
 * @example
 * const notification: IntercomNotification = { topic: "contact.lead.created", item: { type: "contact" } };
 */
export interface IntercomNotification {
  topic: string;
  item: unknown;
}

/**
 * Reads a `notification_event` envelope from a push's raw body. A body that is not JSON, or not
 * such an envelope, is an `invalid_input` error.
 *
 * @example
 * const notification = parseNotification(request.body as Buffer);
 * if (notification.ok && triggersForTopic(notification.value.topic).length === 0) return { ignored: true };
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
  return ok({ topic, item: data.item });
}
