import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { EmailField, IdField, TextField } from "../fields.js";

// Data events: SubmitEvent's input with Intercom's metadata rules (its description of
// `POST /events`), and what the connector answers for Intercom's empty 202.

/** Intercom tracks at most 10 metadata keys per event and silently drops the rest: refused here instead. */
export const MAX_EVENT_METADATA_KEYS = 10;

/** A metadata value of one of Intercom's types: text or link, number or date, rich link, amount. */
const MetadataValue = z.union(
  [
    z.string().max(255, { error: "must be at most 255 characters" }),
    z.number().finite(),
    z.strictObject({ url: z.string().min(1), value: z.string() }),
    z.strictObject({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Za-z]{3}$/, { error: "must be a 3-letter currency code" }) }),
  ],
  { error: "must be a string, a number, a rich link {url, value} or an amount {amount, currency}: nothing nested" },
);

/**
 * SubmitEvent's input: the event's name, who did it (exactly one of `id`, `user_id`, `email`),
 * when (unix seconds; now when left out) and up to 10 metadata values.
 *
 * @example
 * SubmitEventInput.parse({ event_name: "invited-friend", email: "ada@example.com", metadata: { invitee: "bob@example.com" } });
 */
export const SubmitEventInput = z
  .strictObject({
    event_name: TextField.trim().min(1, { error: "must not be empty" }).meta({ title: "Event Name", description: "The event's name, such as invited-friend (past tense, dash-separated, reads best)." }),
    created_at: z
      .number({ error: "must be unix seconds" })
      .int({ error: "must be whole unix seconds" })
      .min(1, { error: "must be unix seconds" })
      .max(253_402_300_799, { error: "must be unix seconds" })
      .optional()
      .meta({ title: "Created At", description: "When the event happened, unix seconds; now when left out. Intercom ignores a second event with the same contact, name and time." }),
    id: IdField.optional().meta({ title: "Contact ID", description: "Intercom's id of the contact (any contact, leads included)." }),
    user_id: TextField.min(1, { error: "must not be empty" }).optional().meta({ title: "User ID", description: "The id you gave the user (Intercom's external_id)." }),
    email: EmailField.optional().meta({ title: "Email", description: "The user's email address." }),
    metadata: z
      // Keys are checked in a refinement, not by the record's key schema: Swagger 2.0 (the Power
      // Platform file) cannot describe constrained property names.
      // Values likewise: Swagger 2.0 has no unions, so the file says "an object" and this checks each value.
      .record(z.string(), z.unknown(), { error: "must be an object of values" })
      .superRefine((metadata, ctx) => {
        for (const [key, value] of Object.entries(metadata)) {
          const checked = MetadataValue.safeParse(value);
          if (!checked.success) ctx.addIssue({ code: "custom", path: [key], message: checked.error.issues[0]?.message ?? "is not a metadata value" });
        }
      })
      .refine((metadata) => Object.keys(metadata).length <= MAX_EVENT_METADATA_KEYS, { error: `must have at most ${MAX_EVENT_METADATA_KEYS} keys (Intercom drops the rest)` })
      .refine((metadata) => Object.keys(metadata).every((key) => key.length >= 1 && key.length <= 255), { error: "must have keys of 1 to 255 characters" })
      .optional()
      .meta({ title: "Metadata", description: "Up to 10 values about the event: text, numbers, dates (unix seconds), links, rich links {url, value}, amounts {amount in cents, currency}." }),
  })
  .superRefine((input, ctx) => {
    const given = (["id", "user_id", "email"] as const).filter((key) => input[key] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: "custom", path: [given[1] ?? "id"], message: "exactly one of id, user_id or email must name the contact" });
  })
  // A valid input, for tools that start from one (the reliability suite breaks it one field at a time).
  .meta({ examples: [{ event_name: "invited-friend", email: "ada@example.com" }] });

/**
 * What SubmitEvent answers for Intercom's `202 Accepted` (which has no body): the event's name
 * and the time it was sent with, so a caller can send the same event again safely.
 *
 * @example
 * EventAccepted.parse({ accepted: true, event_name: "invited-friend", created_at: 1795523438 });
 */
export const EventAccepted = z.object({
  accepted: z.literal(true).meta({ title: "Accepted", description: "Intercom accepted the event (202); it may be a repeat it ignores." }),
  event_name: z.string().meta({ title: "Event Name", description: "The event's name as sent." }),
  created_at: z.number().int().meta({ title: "Created At", description: "The event's time as sent, unix seconds: the same time again is the same event." }),
});
/** SubmitEvent's answer. */
export type EventAccepted = z.output<typeof EventAccepted>;

/**
 * The events area.
 *
 * @example
 * EVENTS_OPERATIONS.SubmitEvent.input.parse({ event_name: "signed-up", user_id: "u-1" });
 */
export const EVENTS_OPERATIONS = {
  SubmitEvent: defineOperation({
    id: "SubmitEvent",
    kind: "action",
    summary: "Submit a data event",
    seedName: "",
    description: "Records an event a contact did, with optional metadata. Returns once Intercom has accepted it.",
    input: SubmitEventInput,
    output: EventAccepted,
    outputName: "EventAccepted",
  }),
} as const;
