import { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";

/**
 * What a polling trigger's `state` query parameter carries: the subscription, and the last event
 * of the batch the previous 200 answered. Power Automate sends back the `Location` of the answer
 * it processed, so a state naming event N is its receipt for every event up to N: those are
 * acknowledged then, not when the 200 was written. A 200 lost on the way (proxy timeout, crash)
 * is re-sent by the next poll with the old state, instead of being lost.
 *
 * @example
 * const state: PollState = { subscriptionId: "0b6c…", ackedThrough: 42 };
 */
export interface PollState {
  readonly subscriptionId: string;
  /** Events with ids up to this one were received; `null` before the first batch. */
  readonly ackedThrough: number | null;
}

const PREFIX = "poll.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Encoded = z.strictObject({ s: z.string().regex(UUID), a: z.number().int().nonnegative().nullable() });

/**
 * The opaque `state` value of a poll's `Location`.
 *
 * @example
 * encodePollState({ subscriptionId: id, ackedThrough: null }); // "poll.eyJzIjoi…"
 */
export function encodePollState(state: PollState): string {
  return PREFIX + Buffer.from(JSON.stringify({ s: state.subscriptionId, a: state.ackedThrough }), "utf8").toString("base64url");
}

/**
 * Reads a `state` value; anything this service did not write is an `invalid_input` error naming
 * `field`. A bare subscription id (the form of the first release's `Location`) is still read, as
 * a state with nothing acknowledged.
 *
 * @example
 * const state = decodePollState(request.query.state, "state");
 * if (!state.ok) return sendError(reply, state.error);
 */
export function decodePollState(value: string, field: string): Result<PollState, ConnectorError> {
  if (UUID.test(value)) return ok({ subscriptionId: value.toLowerCase(), ackedThrough: null });
  const invalid = err(connectorError("invalid_input", { field, reason: "is not a state this service issued: use the Location of the last answer" }, { field }));
  if (!value.startsWith(PREFIX)) return invalid;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(value.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return invalid;
  }
  const parsed = Encoded.safeParse(body);
  if (!parsed.success) return invalid;
  return ok({ subscriptionId: parsed.data.s.toLowerCase(), ackedThrough: parsed.data.a });
}
