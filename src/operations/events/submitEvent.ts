import { z } from "zod";
import type { EventAccepted } from "../../contract/catalogue/events.js";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import { defineAction, type Action } from "../define-action.js";

/** Intercom's 202 has no body. */
const NoBody = z.unknown();

/**
 * Builds SubmitEvent on a clock (milliseconds, as `Date.now`), which gives `created_at` when the
 * input has none; tests pass their own.
 *
 * @example
 * const submit = submitEventWith(() => Date.parse("2026-11-24T12:30:38Z"));
 * await submit.run(intercom, { event_name: "signed-up", user_id: "u-1" }); // created_at 1795523438
 */
export function submitEventWith(now: () => number): Action<"SubmitEvent", EventAccepted> {
  return defineAction({
    id: "SubmitEvent",
    async execute(intercom, input): Promise<Result<EventAccepted, ConnectorError>> {
      // Fixed once, before the call: the transport's retries resend the same time, which Intercom
      // takes as the same event (it ignores a repeat of contact, name and created_at).
      const createdAt = input.created_at ?? Math.floor(now() / 1000);
      const body = { ...input, created_at: createdAt };
      const contact = input.id ?? input.user_id ?? input.email ?? "";
      const sent = await intercom.request({
        what: "POST /events",
        answer: NoBody,
        notFound: { resource: "contact", id: contact },
        // The SDK's request type is a union of the three ways to name the contact.
        send: (sdk, options) => sdk.events.create(body as never, options),
      });
      return sent.ok ? ok({ accepted: true, event_name: input.event_name, created_at: createdAt }) : sent;
    },
  });
}

/**
 * `SubmitEvent`: `POST /events` (202, no body). `created_at` defaults to now; Intercom answers
 * 404 for a contact it cannot find, `not_found` naming it. Safe to retry with the answer's
 * `created_at`: the same contact, name and time is one event.
 *
 * @example
 * const sent = await submitEvent.run(intercom, { event_name: "invited-friend", email: "ada@example.com", metadata: { invitee: "bob@example.com" } });
 * if (sent.ok) console.log(sent.value.created_at);
 */
export const submitEvent = submitEventWith(() => Date.now());
