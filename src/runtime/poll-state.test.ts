import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PollStateCodec } from "./poll-state.js";

const ID = "0b6c3f0e-8a4d-4c2e-9a57-1f2d3c4b5a69";
const key = randomBytes(32);
const codec = new PollStateCodec(key);

/** Signs any payload text as the codec does: what a holder of the derived key could write. */
const signedAs = (signingKey: Buffer, json: string): string => {
  const signed = `poll.${Buffer.from(json, "utf8").toString("base64url")}`;
  return `${signed}.${createHmac("sha256", signingKey).update(signed).digest("base64url")}`;
};

function expectRefused(value: string): void {
  const result = codec.decode(value, "state");
  expect(result.ok, value.slice(0, 80)).toBe(false);
  if (!result.ok) expect(result.error.toJSON()).toMatchObject({ code: "invalid_input", status: 400, field: "state" });
}

describe("poll state", () => {
  it("round-trips the subscription and the acknowledged event, signed", () => {
    for (const ackedThrough of [null, 0, 42, 9_007_199_254_740_991]) {
      const encoded = codec.encode({ subscriptionId: ID, ackedThrough });
      expect(encoded).toMatch(/^poll\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(codec.decode(encoded, "state")).toEqual({ ok: true, value: { subscriptionId: ID, ackedThrough } });
      // Another codec on the same key (another instance sharing CONNECTOR_SECRET_KEY) reads it.
      expect(new PollStateCodec(Buffer.from(key)).decode(encoded, "state").ok).toBe(true);
    }
  });

  it("refuses a tampered acknowledged id, another key's signature, a truncated or respelled MAC, and unsigned states", () => {
    const state = codec.encode({ subscriptionId: ID, ackedThrough: 3 });
    const [prefix, payload, mac] = state.split(".") as [string, string, string];
    const tampered = `${prefix}.${Buffer.from(JSON.stringify({ s: ID, a: 999 })).toString("base64url")}.${mac}`;
    expectRefused(tampered);
    expectRefused(new PollStateCodec(randomBytes(32)).encode({ subscriptionId: ID, ackedThrough: 3 }));
    expectRefused(`${prefix}.${payload}.${mac.slice(0, 42)}`);
    expectRefused(`${prefix}.${payload}.${mac.slice(0, 22)}`);
    expectRefused(`${prefix}.${payload}.`);
    expectRefused(`${prefix}.${payload}.${mac}A`);
    // The last base64url character has spare bits: another spelling of the same bytes is refused too.
    const last = mac.at(-1) ?? "A";
    const respelled = "AEIMQUYcgkosw048".includes(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : last;
    if (respelled !== last) expectRefused(`${prefix}.${payload}.${mac.slice(0, 42)}${respelled}`);
    // What the earlier releases wrote: unsigned `poll.<payload>` and the bare subscription id.
    expectRefused(`${prefix}.${payload}`);
    expectRefused(ID);
    expectRefused(ID.toUpperCase());
    // Signed in the same format under a key this service does not hold.
    const signedWithOther = signedAs(randomBytes(32), JSON.stringify({ s: ID, a: 3 }));
    expectRefused(signedWithOther);
  });

  it("says what to do in the refusal", () => {
    const result = codec.decode(ID, "state");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid input: state is not a state this service signed .*re-save the flow, or turn it off and on$/);
  });

  it("refuses well-signed payloads that are not a state (only a key holder could write them), without throwing", () => {
    for (const json of [
      `{"s":"nope","a":1}`,
      `{"s":"${ID}","a":-1}`,
      `{"s":"${ID}","a":1.5}`,
      `{"s":"${ID}"}`,
      `{"s":"${ID}","a":1,"x":2}`,
      `{"s":"${ID}","a":1e308}`,
      `{"s":"${ID}","a":"1"}`,
      `{"s":["${ID}"],"a":null}`,
      `{"s":"${ID}","a":null,"__proto__":{"polluted":true}}`,
      `["${ID}",null]`,
      "null",
      "not json",
    ]) {
      expectRefused(signedAs(key, json));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses hostile values without throwing: huge, empty, odd prefixes and bytes", () => {
    for (const value of ["", "x", "poll.", "poll..", "poll.!!!", "poll.\u0000", `poll.${"A".repeat(100_000)}`, `poll.${"A".repeat(100)}.${"A".repeat(43)}`, `leads.${codec.encode({ subscriptionId: ID, ackedThrough: null }).slice(5)}`, ` ${ID}`]) {
      expectRefused(value);
    }
  });

  it("refuses a key shorter than 32 bytes", () => {
    expect(() => new PollStateCodec(randomBytes(16))).toThrow(RangeError);
  });
});
