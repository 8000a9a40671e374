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

  it("refuses hostile values without throwing: huge numbers, deep nesting, prototype keys, bytes that are not UTF-8", () => {
    const forged = (json: string): string => `poll.${Buffer.from(json, "utf8").toString("base64url")}`;
    const hostile = [
      forged(`{"s":"${ID}","a":1e308}`),
      forged(`{"s":"${ID}","a":${2 ** 60}}`),
      forged(`{"s":"${ID}","a":"1"}`),
      forged(`{"s":"${ID}","a":{"$gt":0}}`),
      forged(`{"s":["${ID}"],"a":null}`),
      forged(`{"s":"${ID}' OR 1=1 --","a":null}`),
      forged(`{"s":"${ID}","a":null,"__proto__":{"polluted":true}}`),
      forged(`{"s":"${ID}","a":null,"constructor":{"prototype":{"polluted":true}}}`),
      forged(`["${ID}",null]`),
      forged("null"),
      forged(`${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      forged(`${'{"s":'.repeat(50_000)}1${"}".repeat(50_000)}`),
      `poll.${Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]).toString("base64url")}`,
      "poll.\u0000",
      `poll.${"A".repeat(100_000)}`,
      `leads.${forged(`{"s":"${ID}","a":null}`).slice(5)}`,
      `${ID}x`,
      ` ${ID}`,
    ];
    for (const value of hostile) {
      const result = decodePollState(value, "state");
      expect(result.ok, value.slice(0, 80)).toBe(false);
      if (!result.ok) expect(result.error.toJSON()).toMatchObject({ code: "invalid_input", status: 400, field: "state" });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
