import { createHmac, timingSafeEqual } from "node:crypto";
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

/**
 * The purpose the state's signing key is derived under (`Store.deriveKey`): its own label, so the
 * key signs nothing else and the store's secret key itself never signs.
 *
 * @example
 * const codec = new PollStateCodec(store.deriveKey(POLL_STATE_KEY_PURPOSE));
 */
export const POLL_STATE_KEY_PURPOSE = "intercom-connector/poll-state/v1";

const PREFIX = "poll.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Encoded = z.strictObject({ s: z.string().regex(UUID), a: z.number().int().nonnegative().nullable() });
/** A SHA-256 MAC in unpadded base64url. */
const MAC = /^[A-Za-z0-9_-]{43}$/;
/** Far above any state this service writes (about 150 characters); longer is refused unread. */
const MAX_STATE_LENGTH = 512;

/**
 * Writes and reads the opaque `state` of a poll's `Location`: `poll.<payload>.<mac>`, the payload
 * base64url JSON, the MAC an HMAC-SHA256 of `poll.<payload>` under a key derived from the store's
 * secret key. Without the MAC a key holder could forge the acknowledged id and take events from a
 * flow; with it, a state is one this service (any instance sharing `CONNECTOR_SECRET_KEY`) wrote.
 *
 * @example
 * const codec = new PollStateCodec(store.deriveKey(POLL_STATE_KEY_PURPOSE));
 * const state = codec.encode({ subscriptionId: id, ackedThrough: null }); // "poll.eyJzIjoi….Qm9v…"
 * codec.decode(state, "state"); // { ok: true, value: { subscriptionId: id, ackedThrough: null } }
 */
export class PollStateCodec {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new RangeError("the poll state key must have at least 32 bytes");
  }

  /** The signed `state` value for `state`. */
  encode(state: PollState): string {
    const signed = PREFIX + Buffer.from(JSON.stringify({ s: state.subscriptionId, a: state.ackedThrough }), "utf8").toString("base64url");
    return `${signed}.${this.mac(signed).toString("base64url")}`;
  }

  /**
   * Reads a `state` value. Anything this service did not sign under this key (altered, forged,
   * truncated, unsigned: the earlier releases' `poll.<payload>` and bare subscription ids too) is
   * an `invalid_input` error naming `field`; the MAC is checked before the payload is parsed.
   */
  decode(value: string, field: string): Result<PollState, ConnectorError> {
    const invalid = err(
      connectorError(
        "invalid_input",
        { field, reason: "is not a state this service signed (altered, or issued before an upgrade or under another secret key): re-save the flow, or turn it off and on" },
        { field },
      ),
    );
    if (value.length > MAX_STATE_LENGTH || !value.startsWith(PREFIX)) return invalid;
    const dot = value.lastIndexOf(".");
    const signed = value.slice(0, dot);
    const mac = value.slice(dot + 1);
    if (dot < PREFIX.length || !MAC.test(mac)) return invalid;
    // Compared as text: base64url's last character has spare bits, so two spellings decode alike.
    const given = Buffer.from(mac, "ascii");
    const expected = Buffer.from(this.mac(signed).toString("base64url"), "ascii");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(signed.slice(PREFIX.length), "base64url").toString("utf8"));
    } catch {
      return invalid;
    }
    const parsed = Encoded.safeParse(body);
    if (!parsed.success) return invalid;
    return ok({ subscriptionId: parsed.data.s.toLowerCase(), ackedThrough: parsed.data.a });
  }

  private mac(signed: string): Buffer {
    return createHmac("sha256", this.key).update(signed, "utf8").digest();
  }
}
