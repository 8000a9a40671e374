import { describe, expect, it } from "vitest";
import { decodePollState, encodePollState } from "./poll-state.js";

const ID = "0b6c3f0e-8a4d-4c2e-9a57-1f2d3c4b5a69";

describe("poll state", () => {
  it("round-trips the subscription and the acknowledged event", () => {
    for (const ackedThrough of [null, 0, 42, 9_007_199_254_740_991]) {
      const encoded = encodePollState({ subscriptionId: ID, ackedThrough });
      expect(encoded).toMatch(/^poll\.[A-Za-z0-9_-]+$/);
      expect(decodePollState(encoded, "state")).toEqual({ ok: true, value: { subscriptionId: ID, ackedThrough } });
    }
  });

  it("still reads a bare subscription id as nothing acknowledged", () => {
    expect(decodePollState(ID.toUpperCase(), "state")).toEqual({ ok: true, value: { subscriptionId: ID, ackedThrough: null } });
  });

  it("refuses anything it did not issue as invalid_input naming the field", () => {
    const forged = (body: unknown): string => `poll.${Buffer.from(JSON.stringify(body)).toString("base64url")}`;
    for (const value of ["", "x", "poll.", "poll.!!!", "poll.bm90IGpzb24", forged({ s: "nope", a: 1 }), forged({ s: ID, a: -1 }), forged({ s: ID, a: 1.5 }), forged({ s: ID }), forged({ s: ID, a: 1, x: 2 })]) {
      const result = decodePollState(value, "state");
      expect(result.ok, value).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("invalid_input");
        expect(result.error.field).toBe("state");
      }
    }
  });
});
