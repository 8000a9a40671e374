import { submitEvent } from "./submitEvent.js";

/**
 * The events area's actions by id.
 *
 * @example
 * await EVENTS_ACTIONS.SubmitEvent.run(intercom, { event_name: "signed-up", user_id: "u-1" });
 */
export const EVENTS_ACTIONS = { SubmitEvent: submitEvent } as const;
